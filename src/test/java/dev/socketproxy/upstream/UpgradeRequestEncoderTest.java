package dev.socketproxy.upstream;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeRequestEncoderTest {

	@Test
	void keepsRawPathQueryAndEveryHeaderIncludingTheUpgradeOnes() {
		MockServerHttpRequest request = MockServerHttpRequest.method(HttpMethod.POST, URI.create("/v1.41/exec/abc/start?x=a%20b"))
			.header("Host", "127.0.0.1:2375")
			.header("Connection", "Upgrade")
			.header("Upgrade", "tcp")
			.header("Content-Length", "2")
			.build();

		String encoded = new String(UpgradeRequestEncoder.encode(request, "{}".getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.ISO_8859_1);

		assertThat(encoded).startsWith("POST /v1.41/exec/abc/start?x=a%20b HTTP/1.1\r\n")
			.contains("Host: 127.0.0.1:2375\r\n", "Connection: Upgrade\r\n", "Upgrade: tcp\r\n", "Content-Length: 2\r\n")
			.endsWith("\r\n\r\n{}");
	}

	@Test
	void aChunkedBodyIsSentWithItsLength() {
		MockServerHttpRequest request = MockServerHttpRequest.post("/v1.41/exec/abc/start")
			.header("Transfer-Encoding", "chunked")
			.build();

		String encoded = new String(UpgradeRequestEncoder.encode(request, "{\"Tty\":false}".getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.ISO_8859_1);

		assertThat(encoded).doesNotContainIgnoringCase("transfer-encoding").contains("Content-Length: 13\r\n");
	}

	@Test
	void noBodyNoLength() {
		MockServerHttpRequest request = MockServerHttpRequest.get("/v1.41/containers/c/attach/ws").build();

		String encoded = new String(UpgradeRequestEncoder.encode(request, new byte[0]), StandardCharsets.ISO_8859_1);

		assertThat(encoded).isEqualTo("GET /v1.41/containers/c/attach/ws HTTP/1.1\r\n\r\n");
	}

}
