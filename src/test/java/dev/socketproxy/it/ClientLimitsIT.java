package dev.socketproxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow clients are cut off after {@code socketproxy.limits.header-timeout} and
 * {@code body-read-timeout}, while a response stream that runs far longer than both is
 * delivered whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientLimitsIT {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("limits");
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"), (request, response) -> {
			if (request.uri().contains("/events")) {
				return response.sendString(Flux.interval(Duration.ofMillis(400)).take(7).map((i) -> "event " + i + "\n"))
					.then();
			}
			return request.receive().then(response.sendString(Mono.just("ok")).then());
		});
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socket(), "-allowGET=/v1\\.41/(version|events)",
				"-allowPOST=/v1\\.41/containers/create", "--socketproxy.limits.header-timeout=" + TIMEOUT.toMillis() + "ms",
				"--socketproxy.limits.body-read-timeout=" + TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	void stop() throws Exception {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	@BeforeEach
	void clear() {
		this.server.clear();
	}

	@Test
	void idleConnectionIsClosedAfterTheHeaderTimeout() throws Exception {
		try (Socket socket = connect()) {
			long started = System.nanoTime();
			assertThat(closedByServer(socket.getInputStream())).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(TIMEOUT.minusMillis(200), TIMEOUT.multipliedBy(4));
		}
	}

	@Test
	void headTrickledByteByByteIsCutOff() throws Exception {
		try (Socket socket = connect()) {
			OutputStream out = socket.getOutputStream();
			byte[] head = "GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII);
			long started = System.nanoTime();
			boolean cut = false;
			for (byte b : head) {
				try {
					out.write(b);
					out.flush();
				}
				catch (SocketException ex) {
					cut = true;
					break;
				}
				// a client trickling its head, on purpose: not a wait for a condition
				Thread.sleep(100);
			}
			cut = cut || closedByServer(socket.getInputStream());
			assertThat(cut).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(4));
		}
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void stalledBodyIsCutOffAndNeverCompletesUpstream() throws Exception {
		try (Socket socket = connect()) {
			socket.getOutputStream()
				.write(RawHttp.bytes("POST /v1.41/containers/create HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\n"
						+ "Content-Length: 100\r\n\r\n{\"Image\":"));
			long started = System.nanoTime();
			assertThat(closedByServer(socket.getInputStream())).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(4));
		}
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n"), 1,
				5000))
			.extracting(RawHttp.Response::status)
			.containsExactly(200);
	}

	@Test
	void keepAliveConnectionServesRequestsWithinTheTimeout() throws Exception {
		try (Socket socket = connect()) {
			for (int i = 0; i < 3; i++) {
				socket.getOutputStream().write(RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n"));
				assertThat(readUntil(socket.getInputStream(), "ok")).startsWith("HTTP/1.1 200");
				// idle between requests for half the timeout, on purpose: not a wait for a condition
				Thread.sleep(TIMEOUT.toMillis() / 2);
			}
		}
	}

	@Test
	void streamLongerThanEveryTimeoutIsDeliveredWhole() throws Exception {
		long started = System.nanoTime();
		RawHttp.Response events = RawHttp
			.exchange(this.proxy.port(), RawHttp.bytes("GET /v1.41/events HTTP/1.1\r\nHost: proxy\r\n\r\n"), 1, 10_000)
			.get(0);
		assertThat(events.status()).isEqualTo(200);
		assertThat(events.body()).isEqualTo("event 0\nevent 1\nevent 2\nevent 3\nevent 4\nevent 5\nevent 6\n");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(TIMEOUT.multipliedBy(2));
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.proxy.port());
		socket.setSoTimeout((int) TIMEOUT.multipliedBy(5).toMillis());
		return socket;
	}

	/** Reads until the server closes; false if it kept the connection open past the socket timeout. */
	private static boolean closedByServer(InputStream in) throws IOException {
		try {
			while (in.read() >= 0) {
				// drain whatever the server answered before closing
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	private static String readUntil(InputStream in, String end) throws IOException {
		StringBuilder text = new StringBuilder();
		while (!text.toString().endsWith(end)) {
			int b = in.read();
			if (b < 0) {
				break;
			}
			text.append((char) b);
		}
		return text.toString();
	}

}
