package dev.socketproxy.health;

import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import dev.socketproxy.upstream.UnixSocketAddresses;

/**
 * Checks that the socket answers, with a real round trip: it connects, sends
 * {@code HEAD /_ping} (Docker's liveness call) and reads the status line. A socket
 * server that is not HTTP still counts as up when it accepts the connection. Never
 * blocks a thread, uses a fresh connection (never one of the proxy's pooled ones), and
 * remembers the latest result for the metrics.
 */
public class SocketCheck {

	/** The reference waits this long for the socket to accept. */
	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/** A server that accepted but stays silent this long is taken for a non-HTTP one. */
	static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

	private static final String PING = "HEAD /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: socket-proxy-health\r\n"
			+ "Connection: close\r\n\r\n";

	private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] ([1-5][0-9]{2})[ \\r]");

	private final Path socket;

	private final TcpClient client;

	private final AtomicReference<SocketStatus> latest = new AtomicReference<>();

	public SocketCheck(Path socket) {
		this.socket = socket;
		this.client = TcpClient.newConnection().remoteAddress(() -> UnixSocketAddresses.of(socket));
	}

	public Path socket() {
		return this.socket;
	}

	/** Runs one check; the result is never an error. */
	public Mono<SocketStatus> check() {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.client.connect()
				.timeout(CONNECT_TIMEOUT)
				.flatMap((connection) -> ping(connection, start).doFinally((signal) -> connection.dispose()))
				.onErrorResume((ex) -> Mono.just(SocketStatus.unreachable(describe(ex), since(start))));
		}).doOnNext(this.latest::set);
	}

	/** The result of the most recent check, or {@code null} before the first one. */
	public SocketStatus latest() {
		return this.latest.get();
	}

	private Mono<SocketStatus> ping(Connection connection, long start) {
		return connection.outbound()
			.sendString(Mono.just(PING), StandardCharsets.US_ASCII)
			.then()
			.then(connection.inbound()
				.receive()
				.asString(StandardCharsets.ISO_8859_1)
				.scan("", String::concat)
				.filter((received) -> received.indexOf('\n') >= 0 || received.length() > 64)
				.next()
				.timeout(ANSWER_TIMEOUT))
			.map((answer) -> statusOf(answer, start))
			// It accepted the connection: silence, garbage or a close mean "not HTTP", not "down".
			.onErrorResume((ex) -> Mono.fromSupplier(() -> SocketStatus.connected(since(start))))
			.switchIfEmpty(Mono.fromSupplier(() -> SocketStatus.connected(since(start))));
	}

	private static SocketStatus statusOf(String answer, long start) {
		Matcher status = STATUS_LINE.matcher(answer);
		return status.find() ? SocketStatus.pinged(Integer.parseInt(status.group(1)), since(start))
				: SocketStatus.connected(since(start));
	}

	private static String describe(Throwable ex) {
		if (ex instanceof TimeoutException) {
			return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
		}
		if (ex instanceof FileNotFoundException || ex instanceof NoSuchFileException) {
			return "no such socket file";
		}
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

}
