package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RawUnixSocketServer.Answer;
import dev.socketproxy.support.ReceivedRequest;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code redact-env} and {@code allow-images} between a client and a socket server that
 * parses everything it receives: inspect answers leave without their secrets, also when
 * the fast path is on, and an answer that cannot be redacted is a 502 that holds none of
 * it; an image request that is refused never reaches the socket ({@link JudgedOnly}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageAndRedactionIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly(Duration.ofMillis(50));

	private static final String SECRET = "hunter2";

	private static final String INSPECT = "{\"Id\":\"4fa6\",\"Config\":{\"Env\":[\"PASSWORD=" + SECRET + "\",\"PATH=/bin\"],"
			+ "\"Labels\":{\"traefik.enable\":\"true\"}},\"NetworkSettings\":{\"Networks\":{\"web\":"
			+ "{\"IPAddress\":\"172.18.0.2\"}}}}\n";

	private static final String REDACTED = INSPECT.replace(SECRET, "<redacted>").replace("/bin", "<redacted>");

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("image-redaction");
		RawUnixSocketServer.Script dockerLike = RawUnixSocketServer.dockerLike();
		this.server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"), (request) -> {
			if (request.target().endsWith("/containers/web/json")) {
				return Answer.json(200, "OK", INSPECT);
			}
			if (request.target().endsWith("/containers/huge/json")) {
				// A valid answer one byte over the bound, the secret at its start.
				String pad = "x".repeat(4 * 1024 * 1024);
				return Answer.json(200, "OK", INSPECT.substring(0, INSPECT.length() - 2) + ",\"P\":\"" + pad + "\"}\n");
			}
			if (request.target().endsWith("/containers/zipped/json")) {
				return Answer.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
						+ "Content-Length: " + INSPECT.length() + "\r\n\r\n" + INSPECT);
			}
			return dockerLike.answer(request);
		});
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(),
				"-allowGET=/_ping|/v1\\.41/(version|containers/[^/]+/json)", "-allowHEAD=/v1\\.41/containers/[^/]+/json",
				"-allowPOST=/v1\\.41/(images/create|build|containers/create)", "--socketproxy.redact-env=true",
				"--socketproxy.allow-images[0]=docker\\.io/library/busybox:[0-9.]+", "--socketproxy.refuse-latest=true");
	}

	@AfterAll
	void stop() throws Exception {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	@Test
	void inspectAnswersLoseTheirEnvValuesEvenWithTheFastPathOn() {
		RawHttp.Response response = send("GET /v1.41/containers/web/json HTTP/1.1\r\nHost: x\r\n\r\n");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(REDACTED).doesNotContain(SECRET);
		assertThat(RawUnixSocketServer.header(response.head(), "content-length"))
			.isEqualTo(Integer.toString(REDACTED.length()));
		assertThat(send("GET /v1.41/version HTTP/1.1\r\nHost: x\r\n\r\n").body()).contains("GET /v1.41/version");
	}

	@Test
	void headRequestsPass() {
		RawHttp.Response response = sendHead("HEAD /v1.41/containers/web/json HTTP/1.1\r\nHost: x\r\n\r\n");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
	}

	@Test
	void anAnswerOverTheBoundIsA502WithNothingOfIt() {
		RawHttp.Response response = send("GET /v1.41/containers/huge/json HTTP/1.1\r\nHost: x\r\n\r\n");

		assertThat(response.status()).isEqualTo(502);
		assertThat(response.body()).isEqualTo("Bad Gateway: response not redacted: answer larger than 4194304 bytes\n");
		assertThat(response.head()).doesNotContain("Api-Version");
		awaitDenied("response_not_redacted");
	}

	@Test
	void anEncodedAnswerIsA502() {
		RawHttp.Response response = send("GET /v1.41/containers/zipped/json HTTP/1.1\r\nHost: x\r\n\r\n");

		assertThat(response.status()).isEqualTo(502);
		assertThat(response.body()).isEqualTo("Bad Gateway: response not redacted: encoded answer\n");
	}

	@Test
	void allowedImagesReachTheEngine() {
		int mark = ReceivedRequest.count();
		assertThat(send(post("/v1.41/images/create?fromImage=busybox&tag=1.36", null, "")).status()).isEqualTo(200);
		assertThat(send(post("/v1.41/containers/create", "application/json", "{\"Image\":\"busybox:1.36\"}")).status())
			.isEqualTo(200);
		assertThat(send(post("/v1.41/build?t=docker.io/library/busybox:2", "application/x-tar", "")).status())
			.isEqualTo(200);
		assertThat(ReceivedRequest.since(mark)).hasSize(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/v1.41/images/create?fromImage=redis&tag=7", "/v1.41/images/create?fromImage=busybox&tag=latest",
			"/v1.41/images/create?fromImage=busybox", "/v1.41/build?t=busybox:1&t=redis:7" })
	void refusedImagesAre403AndNeverReachTheEngine(String target) {
		int mark = ReceivedRequest.count();
		RawHttp.Response response = send(post(target, null, ""));

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.body()).startsWith("Forbidden: image not allowed: docker.io/library/");
		assertThat(ReceivedRequest.since(mark)).isEmpty();
		awaitDenied("image_not_allowed");
	}

	@Test
	void aCreateOfARefusedImageIs403InAnyCaseOfTheKey() {
		for (String body : List.of("{\"Image\":\"redis\"}", "{\"image\":\"redis\"}", "{\"IMAGE\":\"redis\"}",
				"{\"Image\":\"4fa6e0f0c678\"}")) {
			assertThat(send(post("/v1.41/containers/create", "application/json", body)).status()).as(body).isEqualTo(403);
		}
	}

	@Test
	void formBodiesAndRepeatedParametersAre400() {
		RawHttp.Response form = send(post("/v1.41/images/create?fromImage=busybox&tag=1.36",
				"application/x-www-form-urlencoded", "fromImage=redis&tag=7"));
		RawHttp.Response repeated = send(post("/v1.41/images/create?fromImage=busybox&tag=1.36&fromImage=redis", null, ""));

		assertThat(form.status()).isEqualTo(400);
		assertThat(form.body()).startsWith("Bad Request: form body not inspected");
		// The gateway's routing would forward "tag&tag=1.36", and the engine would pull every tag.
		RawHttp.Response emptyKey = send(post("/v1.41/images/create?fromImage=busybox&=tag&tag=1.36", null, ""));

		assertThat(repeated.status()).isEqualTo(400);
		assertThat(repeated.body()).isEqualTo("Bad Request: ambiguous query: fromImage given more than once\n");
		assertThat(emptyKey.status()).isEqualTo(400);
		assertThat(emptyKey.body()).isEqualTo("Bad Request: non-canonical path: changed by parsing\n");
		awaitDenied("form_body_not_inspected");
		awaitDenied("ambiguous_query");
	}

	private RawHttp.Response send(String request) {
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(request));
			return client.next();
		}
	}

	/** A HEAD answer has headers only: read as the client would, not by its Content-Length. */
	private RawHttp.Response sendHead(String request) {
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(request));
			String head = client.bytes(12);
			return new RawHttp.Response(Integer.parseInt(head.substring(9, 12)), head, "");
		}
	}

	private static String post(String target, String contentType, String body) {
		return "POST " + target + " HTTP/1.1\r\nHost: x\r\n"
				+ ((contentType != null) ? "Content-Type: " + contentType + "\r\n" : "") + "Content-Length: "
				+ body.length() + "\r\n\r\n" + body;
	}

	/** The metrics count a request once its exchange ends, which may be just after the client has the answer. */
	private void awaitDenied(String reason) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.proxy.deniedCount(reason) > 0);
	}

}
