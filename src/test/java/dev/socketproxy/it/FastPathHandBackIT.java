package dev.socketproxy.it;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path's socket connection closes before it answered: the request goes to the
 * gateway, which judges it again and sends it on a connection of its own, so the socket
 * gets two requests, each with a decision of its own, and the client one answer.
 */
class FastPathHandBackIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	@TempDir
	Path dir;

	@Test
	void aRequestTheSocketDroppedUnansweredIsJudgedAndSentAgainByTheGateway() {
		AtomicInteger seen = new AtomicInteger();
		RawUnixSocketServer.Script dropsTheFirst = (request) -> (seen.getAndIncrement() == 0) ? (exchange) -> false
				: RawUnixSocketServer.Answer.json(200, "OK", "{\"second\":true}");
		try (RawUnixSocketServer server = RawUnixSocketServer.start(this.dir.resolve("raw.sock"), dropsTheFirst);
				RunningProxy proxy = RunningProxy.start("-socketpath=" + server.socketPath(),
						"-allowGET=/v1\\.41/version")) {
			List<RawHttp.Response> responses = RawHttp.exchange(proxy.port(),
					RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n"), 1, 10_000);

			assertThat(responses).singleElement().satisfies((response) -> {
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.body()).isEqualTo("{\"second\":true}");
			});
			assertThat(server.requestHeads()).hasSize(2)
				.allSatisfy((head) -> assertThat(head).startsWith("GET /v1.41/version HTTP/1.1\r\n"));
		}
	}

}
