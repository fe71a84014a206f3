package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpHeaders;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A real HTTP server on a real Unix socket that records every request it receives, so a
 * test can assert what the proxy forwarded and, above all, what it did not. For the
 * handlers a test writes with Reactor Netty's API; it sees requests only as Reactor
 * Netty decodes them (not bytes it cannot decode, nor bytes before a {@code 101}), which
 * {@link RawUnixSocketServer} does. Each request head also goes to
 * {@link ReceivedRequest#all()} as it arrives, for the {@link JudgedOnly} check.
 */
public final class RecordingUnixSocketServer implements AutoCloseable {

	private final Path socket;

	private final List<Recorded> requests = new CopyOnWriteArrayList<>();

	// Own event loops: the proxy under test disposes Reactor Netty's global resources when it stops.
	private final LoopResources loops = LoopResources.create("recording-unix-server", 1, true);

	private DisposableServer server;

	private RecordingUnixSocketServer(Path socket) {
		this.socket = socket;
	}

	/** Answers every request with 200 and a text line {@code METHOD URI}. */
	public static RecordingUnixSocketServer start(Path socket) {
		return start(socket, (request, response) -> response.header("Content-Type", "text/plain")
			.sendString(Mono.just(request.method().name() + " " + request.uri()))
			.then());
	}

	/**
	 * Answers with the given handler, after recording the request head. The handler still
	 * owns the request body; {@link #startRecordingBodies} records bodies too.
	 */
	public static RecordingUnixSocketServer start(Path socket,
			BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		RecordingUnixSocketServer recorder = new RecordingUnixSocketServer(socket);
		recorder.bind((request, response) -> {
			recorder.received(request);
			recorder.requests.add(new Recorded(request.method().name(), request.uri(), request.requestHeaders(), null,
					connectionOf(request)));
			return handler.apply(request, response);
		});
		return recorder;
	}

	/** Reads each body whole, records it with the head, then answers with the handler. */
	public static RecordingUnixSocketServer startRecordingBodies(Path socket,
			BiFunction<Recorded, HttpServerResponse, Publisher<Void>> handler) {
		RecordingUnixSocketServer recorder = new RecordingUnixSocketServer(socket);
		recorder.bind((request, response) -> recorder.received(request).receive()
			.aggregate()
			.asByteArray()
			.defaultIfEmpty(new byte[0])
			.flatMap((body) -> {
				Recorded recorded = new Recorded(request.method().name(), request.uri(), request.requestHeaders(), body,
						connectionOf(request));
				recorder.requests.add(recorded);
				return Mono.from(handler.apply(recorded, response));
			}));
		return recorder;
	}

	/** The head arrived: the engine would act on it now, whatever becomes of the body. */
	private HttpServerRequest received(HttpServerRequest request) {
		StringBuilder head = new StringBuilder(request.method().name() + " " + request.uri() + " "
				+ request.version().text() + "\r\n");
		request.requestHeaders().forEach((header) -> head.append(header.getKey()).append(": ").append(header.getValue())
			.append("\r\n"));
		ReceivedRequest.add(new ReceivedRequest(this.socket.toString(), connectionOf(request), request.method().name(),
				request.uri(), head.append("\r\n").toString(), new byte[0], null, System.nanoTime()));
		return request;
	}

	private static String connectionOf(HttpServerRequest request) {
		return ((Connection) request).channel().id().asLongText();
	}

	private void bind(BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> handler) {
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server = HttpServer.create()
			.runOn(this.loops)
			.bindAddress(() -> new DomainSocketAddress(this.socket.toString()))
			.handle(handler)
			.bindNow(Duration.ofSeconds(10));
	}

	public Path socket() {
		return this.socket;
	}

	/** Every request received so far, in order of arrival. */
	public List<Recorded> requests() {
		return List.copyOf(this.requests);
	}

	public void clear() {
		this.requests.clear();
	}

	@Override
	public void close() {
		if (this.server != null) {
			this.server.disposeNow(Duration.ofSeconds(5));
			this.server = null;
		}
		this.loops.disposeLater().block(Duration.ofSeconds(5));
		try {
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One request as the socket server saw it.
	 *
	 * @param method the request method
	 * @param uri the request target, path and query, as sent
	 * @param headers the request headers
	 * @param body the body, or {@code null} when not recorded
	 * @param connection which of the server's connections the request came on
	 */
	public record Recorded(String method, String uri, HttpHeaders headers, byte[] body, String connection) {

		public String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

}
