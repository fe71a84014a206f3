package dev.socketproxy.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container image's runtime, as the Dockerfile builds it ({@code scripts/image/build-runtime}
 * on the image's JDK), run with the image's {@code jvm.options} and its temporary directory on
 * a {@code noexec} tmpfs, as Docker's {@code --tmpfs /tmp} and compose's {@code tmpfs: [/tmp]}
 * mount it: Netty's epoll library must load from the runtime, not from {@code /tmp}. Needs
 * root for the tmpfs mount and a JDK 25 (the image's; {@code IMAGE_JDK}, default Temurin 25
 * under {@code /usr/lib/jvm}); it is skipped, saying why, where either is missing. 22-43 s on the 2-core machine.
 */
class ImageRuntimeIT {

	@TempDir
	Path dir;

	@Test
	void runsOnEpollWithANoexecTmp() throws Exception {
		Path jdk = Path.of(System.getenv().getOrDefault("IMAGE_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64"));
		Assumptions.assumeTrue(Files.isExecutable(jdk.resolve("bin/jlink")),
				"skipped: no JDK with jlink at " + jdk + " (set IMAGE_JDK to the image's JDK 25)");
		Path tmp = Files.createDirectory(this.dir.resolve("tmp"));
		Command.Result mount = Command.run(Duration.ofSeconds(30), Map.of(), null,
				List.of("mount", "-t", "tmpfs", "-o", "noexec,nosuid,nodev,size=16m", "tmpfs", tmp.toString()));
		Assumptions.assumeTrue(mount.exitCode() == 0,
				"skipped: a noexec tmpfs cannot be mounted here (needs root): " + mount.stderr().strip());
		try {
			Path image = this.dir.resolve("image");
			Command.Result built = Command.run(Duration.ofMinutes(5), Map.of(), null, List.of("scripts/image/build-runtime",
					jdk.toString(), ProxyProcess.jar().toString(), image.toString()));
			assertThat(built.exitCode()).as("build-runtime: %s", built).isZero();
			int port = RunningProxy.freePort();
			try (RecordingUnixSocketServer server = RecordingUnixSocketServer.start(this.dir.resolve("docker.sock"));
					ProxyProcess proxy = ProxyProcess.start(image.resolve("runtime/bin/java"),
							List.of("@" + Path.of("scripts/image/jvm.options").toAbsolutePath(), "-Djava.io.tmpdir=" + tmp),
							image.resolve("app/socket-proxy.jar"), Map.of("SP_LOGJSON", "true", "SP_LOGLEVEL", "debug"),
							"-socketpath=" + server.socket(), "-proxyport=" + port, "-allowGET=/v1\\..{1,2}/version")) {
				// Both the INFO line (epoll) and the WARN line (NIO after all) carry the transport.
				proxy.waitForOutput("\"transport\":", Duration.ofSeconds(120));
				assertThat(linesWith(proxy, "native epoll transport not loaded")).isEmpty();
				assertThat(linesWith(proxy, "network transport")).singleElement()
					.satisfies((line) -> assertThat(line.path("transport").asString()).isEqualTo("epoll"));
				HttpResponse<Void> response = HttpClient.newBuilder()
					.version(HttpClient.Version.HTTP_1_1)
					.build()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1.41/version")).build(),
							HttpResponse.BodyHandlers.discarding());
				assertThat(response.statusCode()).isEqualTo(200);
				// The allowed request's log line names the I/O thread that served it.
				proxy.waitForOutput("\"allowed request\"", Duration.ofSeconds(10));
				assertThat(linesWith(proxy, "allowed request")).isNotEmpty()
					.allSatisfy((line) -> assertThat(line.path("process").path("thread").path("name").asString())
						.startsWith("reactor-http-epoll-"));
			}
		}
		finally {
			Command.run(Duration.ofSeconds(30), Map.of(), null, List.of("umount", tmp.toString()));
		}
	}

	private static List<JsonNode> linesWith(ProxyProcess proxy, String message) {
		return proxy.jsonLines().stream().filter((line) -> line.path("message").asString().equals(message)).toList();
	}

}
