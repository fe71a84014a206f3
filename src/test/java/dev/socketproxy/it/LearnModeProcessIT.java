package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar in learn mode, as an operator runs it: it warns at startup, forwards
 * what no rule allows while still refusing a non-canonical target, keeps clients apart,
 * never records a query, and on SIGTERM writes the final rules before it exits.
 */
class LearnModeProcessIT {

	private static final String ID = "0123456789abcdef".repeat(4);

	@Test
	void learnsPerClientAndWritesTheFinalRulesOnSigterm(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("learned.yaml");
		int port = RunningProxy.freePort();
		try (RecordingUnixSocketServer upstream = RecordingUnixSocketServer.start(dir.resolve("upstream.sock"));
				ProxyProcess proxy = ProxyProcess.start(Map.of(), "-socketpath=" + upstream.socket(),
						"-proxyport=" + port, "-allowfrom=127.0.0.0/8", "-allowGET=/_ping", "-learn",
						"-learnfile=" + file)) {
			proxy.waitForPort(port, Duration.ofSeconds(90));

			assertThat(send("127.0.0.1", port, "GET /_ping")).isEqualTo(200);
			assertThat(send("127.0.0.1", port, "GET /v1.47/containers/" + ID + "/json?size=true")).isEqualTo(200);
			assertThat(send("127.0.0.2", port, "DELETE /v1.43/volumes/data?force=1")).isEqualTo(200);
			assertThat(send("127.0.0.1", port, "GET /v1.47/containers/%2e%2e/secrets")).isEqualTo(400);
			proxy.terminate();

			assertThat(proxy.waitForExit(Duration.ofSeconds(60))).isZero();
			assertThat(upstream.requests()).extracting(RecordingUnixSocketServer.Recorded::method)
				.containsExactly("GET", "GET", "DELETE");
			assertThat(proxy.output()).contains("LEARN MODE: every request from an allowed client is forwarded",
					"learned rules (final)");
		}
		assertThat(Files.readString(file)).endsWith("""
				socketproxy:
				  profiles:
				    - name: learned-127-0-0-1
				      clients: ['127.0.0.1']
				      allow:
				        GET:
				          - '/_ping'
				          - '/v1\\.[0-9]+/containers/[0-9a-f]{64}/json'
				    - name: learned-127-0-0-2
				      clients: ['127.0.0.2']
				      allow:
				        DELETE:
				          - '/v1\\.[0-9]+/volumes/[a-zA-Z0-9_.-]+'
				""");
	}

	private static int send(String from, int port, String requestLine) {
		byte[] request = RawHttp.bytes(requestLine + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
		return RawHttp.exchangeFrom(from, port, request, 1, 10_000).get(0).status();
	}

}
