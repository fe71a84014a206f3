package dev.socketproxy.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.PodmanService;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Podman as the backend: the docker CLI through the proxy, with
 * {@code config/docker-cli-full.yaml}, to podman's Docker-compatible API instead of dockerd.
 * The image is the test dockerd's {@code mini:latest} root filesystem, imported into podman.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodmanIT {

	private PodmanService podman;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.podman = PodmanService.start();
		Command.succeeded(DockerDaemon.dockerAt("unix://" + this.podman.socket(), null, "import", "-c", "CMD [\"/bin/sh\"]",
				docker.workDir().resolve("rootfs.tar").toString(), DockerDaemon.IMAGE));
		this.proxy = RunningProxy.start("-socketpath=" + this.podman.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml");
	}

	@AfterAll
	void stop() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.podman != null) {
			this.podman.close();
		}
	}

	@Test
	void dockerCliRunsExecsAndFollowsLogsAndEventsOnPodman() {
		String podmanVersion = this.podman.docker("version", "--format", "{{.Server.Version}}").stdout();
		assertThat(Command.succeeded(cli("version", "--format", "{{.Server.Version}}"))).isEqualTo(podmanVersion);

		String since = Long.toString(Instant.now().minusSeconds(1).getEpochSecond());
		try (Command.Running events = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "events", "--since", since,
				"--filter", "type=container", "--filter", "event=start", "--format", "{{.Action}} {{.Actor.Attributes.name}}")) {
			Command.succeeded(cli("run", "-d", "--network", "none", "--name", "talker", DockerDaemon.IMAGE, "sh", "-c",
					"echo one; sleep 2; echo two; sleep 300"));
			events.awaitOutput("start talker\n", Duration.ofSeconds(15));
			assertThat(events.isAlive()).isTrue();
		}

		assertThat(Command.succeeded(cli("ps", "--format", "{{.Names}}"))).isEqualTo("talker\n");
		assertThat(Command.succeeded(cli("run", "--rm", "--network", "none", DockerDaemon.IMAGE, "echo", "hi")))
			.isEqualTo("hi\n");
		assertThat(Command.succeeded(cli("exec", "talker", "echo", "from exec"))).isEqualTo("from exec\n");
		assertThat(Command.succeeded(DockerDaemon.dockerAt(this.proxy.dockerHost(),
				"through stdin\n".getBytes(StandardCharsets.UTF_8), "exec", "-i", "talker", "cat")))
			.isEqualTo("through stdin\n");

		try (Command.Running logs = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "logs", "-f", "talker")) {
			logs.awaitOutput("one\n", Duration.ofSeconds(10));
			logs.awaitOutput("two\n", Duration.ofSeconds(10));
			assertThat(logs.isAlive()).as("logs -f still follows").isTrue();
		}
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

}
