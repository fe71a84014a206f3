package dev.socketproxy.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.ProxyProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged proxy listening on a Unix socket ({@code -proxysocketendpoint}) in front of
 * a real dockerd, run with a 64 MB heap: the docker CLI works through it with
 * {@code DOCKER_HOST=unix://...}, the request rules apply there, a stale socket file is
 * replaced, the mode is applied, the file is removed on shutdown, and 100 MB+ images
 * stream through both ways without the heap that buffering them would need.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnixSocketListenerIT {

	private static final int LARGE_BYTES = 120 * 1024 * 1024;

	private DockerDaemon docker;

	private Path endpoint;

	private ProxyProcess proxy;

	@BeforeAll
	void start(DockerDaemon docker) throws IOException {
		this.docker = docker;
		this.endpoint = docker.workDir().resolve("proxy.sock");
		leaveStaleSocketFile(this.endpoint);
		this.proxy = ProxyProcess.start(
				Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -XX:MaxDirectMemorySize=64m -XX:+ExitOnOutOfMemoryError"),
				"-socketpath=" + docker.socket(), "-proxysocketendpoint=" + this.endpoint,
				"-proxysocketendpointfilemode=0660", "--spring.config.additional-location=file:config/docker-cli-full.yaml");
		this.proxy.waitForOutput("socket-proxy configuration", Duration.ofSeconds(90));
	}

	@AfterAll
	void stop() {
		this.proxy.close();
		this.docker.removeAllContainers();
	}

	@Test
	@Order(1)
	void replacesTheStaleSocketFileAndAppliesTheMode() throws IOException {
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.endpoint))).isEqualTo("rw-rw----");
		assertThat(this.proxy.output()).contains("listen=\"unix:" + this.endpoint + " (mode 0660)\"");
	}

	@Test
	@Order(2)
	void dockerCliWorksThroughTheUnixSocket() {
		this.docker.docker("run", "-d", "--name", "unix-target", DockerDaemon.IMAGE, "sleep", "300");

		String version = Command.succeeded(DockerDaemon.dockerAt(host(), null, "version", "--format", "{{.Server.Version}}"));
		String run = Command.succeeded(DockerDaemon.dockerAt(host(), null, "run", "--rm", DockerDaemon.IMAGE, "echo", "hi over unix"));
		String exec = Command.succeeded(DockerDaemon.dockerAt(host(), "piped\n".getBytes(StandardCharsets.UTF_8), "exec", "-i",
				"unix-target", "cat"));

		assertThat(version.trim()).isEqualTo(this.docker.docker("version", "--format", "{{.Server.Version}}").stdout().trim());
		assertThat(run).isEqualTo("hi over unix\n");
		assertThat(exec).isEqualTo("piped\n");
	}

	@Test
	@Order(3)
	void requestRulesApplyOnTheUnixSocketWhileTheIpAllowlistDoesNot() {
		Command.Result patch = Command.run(Duration.ofSeconds(20), Map.of(), null, List.of("curl", "-s", "-w",
				" %{http_code}", "--unix-socket", this.endpoint.toString(), "-X", "PATCH", "http://docker/v1.41/info"));

		assertThat(patch.stdout()).isEqualTo("Method Not Allowed\n 405");
		// The proxy logged the line before it answered; this process reads it from the pipe a moment later.
		this.proxy.waitForOutput("blocked request method=\"PATCH\" path=\"/v1.41/info\" client=\"unix\"",
				Duration.ofSeconds(10));
	}

	@Test
	@Order(4)
	void largeImportAndExportStreamThroughASmallHeap() throws IOException {
		Path dir = Files.createDirectories(this.docker.workDir().resolve("large"));
		Path tar = dir.resolve("large.tar");
		Path exported = dir.resolve("exported.tar");
		try {
			writeRandomFile(dir.resolve("blob"), LARGE_BYTES);
			Command.succeeded(Command.run(Duration.ofSeconds(60), Map.of(), null,
					List.of("tar", "-C", dir.toString(), "-cf", tar.toString(), "blob")));

			String imported = Command.succeeded(DockerDaemon.dockerAt(host(), null, "import", tar.toString(), "large:latest"));
			assertThat(imported.trim()).startsWith("sha256:");
			this.docker.docker("create", "--name", "large", "large:latest", "/blob");
			Command.succeeded(DockerDaemon.dockerAt(host(), null, "export", "-o", exported.toString(), "large"));

			assertThat(Files.size(exported)).isGreaterThan(LARGE_BYTES);
			String listing = Command.succeeded(Command.run(Duration.ofSeconds(60), Map.of(), null,
					List.of("tar", "-tvf", exported.toString(), "blob")));
			assertThat(listing).contains(" " + LARGE_BYTES + " ");
			assertThat(this.proxy.process().isAlive()).as(this.proxy.output()).isTrue();
		}
		finally {
			this.docker.docker("rm", "-f", "large");
			this.docker.docker("rmi", "large:latest");
			Command.run(Duration.ofSeconds(30), Map.of(), null, List.of("rm", "-rf", dir.toString()));
		}
	}

	@Test
	@Order(5)
	void removesTheSocketFileOnShutdown() {
		this.proxy.process().destroy();

		assertThat(this.proxy.waitForExit(Duration.ofSeconds(30))).isIn(0, 143);
		assertThat(this.endpoint).doesNotExist();
	}

	private static void leaveStaleSocketFile(Path path) throws IOException {
		try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			stale.bind(UnixDomainSocketAddress.of(path));
		}
		assertThat(path).exists();
	}

	private static void writeRandomFile(Path file, int size) throws IOException {
		byte[] chunk = new byte[1024 * 1024];
		Random random = new Random(3);
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int written = 0; written < size; written += chunk.length) {
				random.nextBytes(chunk);
				out.write(chunk);
			}
		}
	}


	private String host() {
		return "unix://" + this.endpoint;
	}

}
