package dev.socketproxy.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rules reload while a client keeps its connection open: the next request on that
 * connection is judged by the rules in force when it arrives, on either path, not by
 * those that allowed the connection's first request.
 */
class ReloadOnOpenConnectionIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	private static final String VERSION_ALLOWED = """
			socketproxy:
			  allow:
			    GET: ['/v1\\.41/version']
			""";

	private static final String NOTHING_ALLOWED = """
			socketproxy:
			  allow:
			    GET: ['/v1\\.41/info']
			""";

	private static final String VERSION = "GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n";

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "--socketproxy.fast-path=true", "--socketproxy.fast-path=false" })
	void theNextRequestOnAnOpenConnectionIsJudgedByTheReloadedRules(String fastPath) throws Exception {
		Path rules = this.dir.resolve("rules.yaml");
		Files.writeString(rules, VERSION_ALLOWED);
		try (RawUnixSocketServer server = RawUnixSocketServer.start(this.dir.resolve("raw.sock"),
				RawUnixSocketServer.dockerLike());
				RunningProxy proxy = RunningProxy.start("-socketpath=" + server.socketPath(),
						"--socketproxy.rules-file=" + rules, "--socketproxy.rules-file-check-interval=100ms", fastPath);
				Socket client = new Socket("127.0.0.1", proxy.port())) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			InputStream in = client.getInputStream();
			out.write(RawHttp.bytes(VERSION));
			assertThat(RawHttp.readResponse(in).status()).isEqualTo(200);

			Path replacement = this.dir.resolve("rules.yaml.new");
			Files.writeString(replacement, NOTHING_ALLOWED);
			Files.move(replacement, rules, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> RawHttp.exchange(proxy.port(), RawHttp.bytes(VERSION), 1, 5_000).get(0).status() == 403);
			int received = server.requestHeads().size();

			out.write(RawHttp.bytes(VERSION));
			RawHttp.Response refused = RawHttp.readResponse(in);
			assertThat(refused.status()).isEqualTo(403);
			assertThat(server.requestHeads()).hasSize(received);
		}
	}

}
