package dev.socketproxy.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** The socket goes away while the proxy runs: 502 with a plain-text reason, then recovery without a restart. */
class SocketOutageIT {

	@TempDir
	Path dir;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void answers502WhileTheSocketIsGoneAndRecoversWhenItReturns() throws Exception {
		Path socket = this.dir.resolve("upstream.sock");
		RecordingUnixSocketServer first = RecordingUnixSocketServer.start(socket);
		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + socket, "-allowGET=/v1\\.41/version")) {
			assertThat(get(proxy).statusCode()).isEqualTo(200);

			first.close();
			HttpResponse<String> down = get(proxy);
			assertThat(down.statusCode()).isEqualTo(502);
			assertThat(down.body()).isEqualTo("Bad Gateway: socket unreachable\n");
			assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));

			try (RecordingUnixSocketServer second = RecordingUnixSocketServer.start(socket)) {
				HttpResponse<String> back = get(proxy);
				assertThat(back.statusCode()).isEqualTo(200);
				assertThat(back.body()).isEqualTo("GET /v1.41/version");
				assertThat(second.requests()).hasSize(1);
			}
		}
	}

	private HttpResponse<String> get(RunningProxy proxy) throws Exception {
		return this.client.send(HttpRequest.newBuilder(proxy.uri("/v1.41/version")).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
