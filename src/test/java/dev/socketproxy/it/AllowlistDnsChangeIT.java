package dev.socketproxy.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostname in the allowlist follows its address within the documented
 * {@code allow-from-dns-ttl} (10 s), both ways: the packaged jar resolves names from a hosts
 * file ({@code -Djdk.net.hosts.file}, read anew on every lookup), the file's address for the
 * name changes, and the verdict for the same client flips within the time to live. The JVM's
 * own address cache (30 s by default) would hold the old address beyond it.
 */
class AllowlistDnsChangeIT {

	private static final String NAME = "client.socketproxy.test";

	/** The documented default of allow-from-dns-ttl; the test does not set it. */
	private static final Duration TTL = Duration.ofSeconds(10);

	/** Polling and the lookup itself, on a loaded machine. */
	private static final Duration MARGIN = Duration.ofSeconds(2);

	@TempDir
	Path dir;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Test
	void anAddressChangeTakesEffectWithinTheTimeToLive() throws Exception {
		Path hosts = this.dir.resolve("hosts");
		pointNameAt(hosts, "127.0.0.1");
		int port = RunningProxy.freePort();
		try (RecordingUnixSocketServer server = RecordingUnixSocketServer.start(this.dir.resolve("docker.sock"));
				ProxyProcess proxy = ProxyProcess.start(Map.of("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
						"-socketpath=" + server.socket(), "-proxyport=" + port, "-allowfrom=" + NAME,
						"-allowGET=/v1\\..{1,2}/version")) {
			proxy.waitForPort(port, Duration.ofSeconds(120));
			URI uri = URI.create("http://127.0.0.1:" + port + "/v1.41/version");
			// The client is 127.0.0.1: the name resolves to it, and the proxy and the JVM cache that.
			assertThat(status(uri)).isEqualTo(200);

			pointNameAt(hosts, "127.0.0.2");
			Duration refused = untilStatus(uri, 403);
			assertThat(refused).as("old address still let in").isLessThanOrEqualTo(TTL.plus(MARGIN));

			pointNameAt(hosts, "127.0.0.1");
			Duration allowed = untilStatus(uri, 200);
			assertThat(allowed).as("new address still refused").isLessThanOrEqualTo(TTL.plus(MARGIN));
		}
	}

	/** Polls until the proxy answers {@code expected}; how long that took (the bound fails the test at 45 s). */
	private Duration untilStatus(URI uri, int expected) {
		Instant changed = Instant.now();
		await().atMost(Duration.ofSeconds(45))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> status(uri) == expected);
		return Duration.between(changed, Instant.now());
	}

	private int status(URI uri) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	/** Replaces the hosts file in one step, so a lookup never reads half a file. */
	private void pointNameAt(Path hosts, String address) throws IOException {
		Path next = this.dir.resolve("hosts.next");
		Files.writeString(next, address + " " + NAME + "\n");
		Files.move(next, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
