package dev.socketproxy.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Random;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** Allowed requests reach a real Unix-socket server unchanged; refused ones never do. */
class ForwardingIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeEach
	void start() {
		this.server = RecordingUnixSocketServer.startRecordingBodies(this.dir.resolve("upstream.sock"),
				(request, response) -> response.header("X-Upstream", "yes")
					.status(201)
					.sendByteArray(Mono.just(request.body()))
					.then());
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socket(), "-allowGET=/v1\\..{1,2}/version",
				"-allowPOST=/v1\\..{1,2}/containers/(create|[^/]+/restart)");
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.close();
	}

	@Test
	void allowedRequestIsForwardedWithQueryHeadersAndBody() throws Exception {
		byte[] body = new byte[100 * 1024];
		new Random(42).nextBytes(body);
		HttpResponse<byte[]> response = this.client.send(
				HttpRequest.newBuilder(this.proxy.uri("/v1.41/containers/create?name=web%20one"))
					.header("X-Custom", "kept")
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(),
				HttpResponse.BodyHandlers.ofByteArray());

		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(response.headers().firstValue("X-Upstream")).hasValue("yes");
		assertThat(response.body()).isEqualTo(body);
		assertThat(this.server.requests()).singleElement().satisfies((recorded) -> {
			assertThat(recorded.method()).isEqualTo("POST");
			assertThat(recorded.uri()).isEqualTo("/v1.41/containers/create?name=web%20one");
			assertThat(recorded.headers().get("X-Custom")).isEqualTo("kept");
			assertThat(recorded.headers().get("Host")).isEqualTo("127.0.0.1:" + this.proxy.port());
			assertThat(recorded.headers().contains("X-Forwarded-For")).isFalse();
			assertThat(recorded.headers().contains("Forwarded")).isFalse();
			assertThat(recorded.body()).isEqualTo(body);
		});
	}

	/**
	 * Without {@code Content-Length} and {@code Transfer-Encoding} a request has no body
	 * (as {@code curl -X POST} sends it); the gateway's client would otherwise send it
	 * chunked, which the engine reads as a body. A chunked one stays chunked.
	 */
	@Test
	void aPostWithoutBodyIsForwardedWithoutOneAndAChunkedOneStaysChunked() {
		assertThat(RawHttp.exchange(this.proxy.port(),
				RawHttp.bytes("POST /v1.41/containers/abc/restart HTTP/1.1\r\nHost: docker\r\n\r\n"), 1, 10_000))
			.extracting(RawHttp.Response::status)
			.containsExactly(201);
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes("POST /v1.41/containers/abc/restart?t=1 HTTP/1.1\r\n"
				+ "Host: docker\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"), 1, 10_000))
			.extracting(RawHttp.Response::status)
			.containsExactly(201);

		assertThat(this.server.requests()).hasSize(2);
		RecordingUnixSocketServer.Recorded bodiless = this.server.requests().get(0);
		assertThat(bodiless.headers().get("Content-Length")).isEqualTo("0");
		assertThat(bodiless.headers().contains("Transfer-Encoding")).isFalse();
		assertThat(bodiless.body()).isEmpty();
		RecordingUnixSocketServer.Recorded chunked = this.server.requests().get(1);
		assertThat(chunked.headers().get("Transfer-Encoding")).isEqualTo("chunked");
		assertThat(chunked.headers().contains("Content-Length")).isFalse();
		assertThat(chunked.bodyText()).isEqualTo("hi");
	}

	@Test
	void chunkedResponseStreamsChunkByChunk() throws Exception {
		Path socket = this.dir.resolve("stream.sock");
		Sinks.Many<String> chunks = Sinks.many().unicast().onBackpressureBuffer();
		try (RecordingUnixSocketServer streaming = RecordingUnixSocketServer.start(socket,
				(request, response) -> response.header("Content-Type", "application/json").sendString(chunks.asFlux()).then());
				RunningProxy proxy = RunningProxy.start("-socketpath=" + socket, "-allowGET=/v1\\.41/events")) {
			// Reactor Netty sends the response head with the first chunk, as dockerd flushes /events.
			chunks.tryEmitNext("{\"event\":1}\n");
			HttpResponse<InputStream> response = this.client.send(HttpRequest.newBuilder(proxy.uri("/v1.41/events")).build(),
					HttpResponse.BodyHandlers.ofInputStream());
			BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));

			assertThat(lines.readLine()).isEqualTo("{\"event\":1}");
			chunks.tryEmitNext("{\"event\":2}\n");
			assertThat(lines.readLine()).isEqualTo("{\"event\":2}");
			chunks.tryEmitComplete();
			assertThat(lines.readLine()).isNull();
		}
	}

	@Test
	void refusedRequestsNeverReachTheSocket() throws Exception {
		HttpResponse<String> wrongPath = this.client.send(HttpRequest.newBuilder(this.proxy.uri("/v1.41/secrets")).build(),
				HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> wrongMethod = this.client.send(
				HttpRequest.newBuilder(this.proxy.uri("/v1.41/version")).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(wrongPath.statusCode()).isEqualTo(403);
		assertThat(wrongPath.body()).isEqualTo("Forbidden\n");
		assertThat(wrongMethod.statusCode()).isEqualTo(405);
		assertThat(wrongMethod.body()).isEqualTo("Method Not Allowed\n");
		assertThat(this.server.requests()).isEmpty();
	}

}
