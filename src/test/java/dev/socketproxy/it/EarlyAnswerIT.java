package dev.socketproxy.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.ReceivedRequest;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket answers a request before its body has arrived (dockerd refuses some requests
 * on their head alone). The rest of that body must still reach the socket as body, or not
 * at all, and never share the connection with another client's request: the socket reads
 * the declared length as body, so a connection reused too early would have it read the
 * next request as body and the body's tail, chosen by the client, as requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyAnswerIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	private Path dir;

	private RawUnixSocketServer server;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("early-it");
		this.server = RawUnixSocketServer.start(this.dir.resolve("raw.sock"), new RawUnixSocketServer.Script() {

			@Override
			public String beforeBody(ReceivedRequest request) {
				return request.target().contains("early") ? "HTTP/1.1 400 Bad Request\r\nContent-Length: 6\r\n\r\nearly\n"
						: null;
			}

			@Override
			public RawUnixSocketServer.Answer answer(ReceivedRequest request) {
				// Go's server then reads and drops the rest of the body, and the connection stays HTTP
				return request.target().contains("early") ? (exchange) -> true
						: RawUnixSocketServer.Answer.json(200, "OK", "{}");
			}

		});
	}

	@AfterAll
	void stop() throws Exception {
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	@ParameterizedTest
	@ValueSource(strings = { "--socketproxy.fast-path=true", "--socketproxy.fast-path=false" })
	void anAnswerBeforeTheBodyLeavesNoConnectionSharedWithTheNextRequest(String fastPath) throws Exception {
		String smuggled = "GET /v1.41/images/json HTTP/1.1\r\nHost: docker\r\n\r\n";
		String tail = "x".repeat(4096) + smuggled;
		String head = "POST /v1.41/containers/early/wait HTTP/1.1\r\nHost: docker\r\nContent-Type: text/plain\r\n"
				+ "Content-Length: " + (10 + tail.length()) + "\r\n\r\n";
		int before = this.server.requestHeads().size();

		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(),
				"-allowPOST=/v1\\.41/containers/early/wait", "-allowGET=/v1\\.41/version", fastPath);
				Socket client = new Socket("127.0.0.1", proxy.port())) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			out.write((head + "0123456789").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = client.getInputStream();
			String answer = "";
			while (!answer.endsWith("early\n")) {
				int next = in.read();
				assertThat(next).as("answer so far: " + answer).isNotNegative();
				answer += (char) next;
			}
			assertThat(answer).startsWith("HTTP/1.1 400 ");

			for (int i = 0; i < 3; i++) {
				List<RawHttp.Response> version = RawHttp.exchange(proxy.port(),
						RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n"), 1, 10_000);
				assertThat(version).extracting(RawHttp.Response::status).containsExactly(200);
			}
			out.write(tail.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			List<RawHttp.Response> next = RawHttp.exchange(proxy.port(),
					RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n"), 1, 10_000);
			assertThat(next).extracting(RawHttp.Response::status).containsExactly(200);
		}
		assertThat(this.server.requestHeads().subList(before, this.server.requestHeads().size()))
			.as("what the socket read as requests")
			.allSatisfy((request) -> assertThat(request).doesNotContain("images/json"))
			.extracting((request) -> request.substring(0, request.indexOf(" HTTP/1.1")))
			.containsExactly("POST /v1.41/containers/early/wait", "GET /v1.41/version", "GET /v1.41/version",
					"GET /v1.41/version", "GET /v1.41/version");
	}

}
