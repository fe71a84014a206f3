package dev.socketproxy.e2e;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.ProxyDockerClientStrategy;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testcontainers for Java (docker-java underneath: versioned paths, a {@code /v1.44/_ping}
 * probe that falls back to API 1.32, exec, archive upload and download, streamed logs)
 * against a real dockerd through the proxy with {@code config/docker-cli-full.yaml}.
 * Ryuk is off ({@code TESTCONTAINERS_RYUK_DISABLED}, set for the integration tests in
 * pom.xml: its image cannot be pulled here), and nothing is pulled: the local
 * {@code mini:latest} is used with a pull policy that never pulls.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerTestcontainersIT {

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		docker.removeAllContainers();
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml");
		ProxyDockerClientStrategy.use(URI.create(this.proxy.dockerHost()));
	}

	@AfterAll
	void stop() {
		this.proxy.close();
		this.docker.removeAllContainers();
	}

	@Test
	void containerStartsExecsCopiesAndStopsThroughTheProxy() throws Exception {
		assertThat(System.getenv("TESTCONTAINERS_RYUK_DISABLED")).as("set by failsafe in pom.xml").isEqualTo("true");
		assertThat(DockerClientFactory.instance().getTransportConfig().getDockerHost())
			.isEqualTo(URI.create(this.proxy.dockerHost()));

		try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(DockerDaemon.IMAGE))
			.withImagePullPolicy((image) -> false)
			.withCommand("sh", "-c", "echo ready; sleep 300")
			.waitingFor(Wait.forLogMessage("ready\\n", 1).withStartupTimeout(Duration.ofSeconds(30)))) {
			container.start();
			assertThat(this.docker.docker("ps", "--format", "{{.ID}}").stdout())
				.startsWith(container.getContainerId().substring(0, 12));

			ExecResult exec = container.execInContainer("sh", "-c", "echo out; echo err >&2; exit 3");
			assertThat(exec.getStdout()).isEqualTo("out\n");
			assertThat(exec.getStderr()).isEqualTo("err\n");
			assertThat(exec.getExitCode()).isEqualTo(3);

			container.copyFileToContainer(Transferable.of("copied in\n"), "/tmp/copied.txt");
			assertThat(container.execInContainer("cat", "/tmp/copied.txt").getStdout()).isEqualTo("copied in\n");
			String copiedOut = container.copyFileFromContainer("/tmp/copied.txt",
					(in) -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
			assertThat(copiedOut).isEqualTo("copied in\n");

			container.stop();
		}
		assertThat(this.docker.docker("ps", "-aq").stdout()).as("Testcontainers removed its container").isBlank();
	}

}
