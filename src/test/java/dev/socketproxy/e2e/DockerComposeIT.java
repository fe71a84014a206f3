package dev.socketproxy.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's docker-compose (1.29, Python, on the Docker SDK for Python) driving a project
 * through the proxy with {@code config/docker-cli-full.yaml}: up, ps, logs, exec (with
 * stdin), run --rm (attach over the hijacked connection) and down.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerComposeIT {

	private static final String PROJECT = "spcompose";

	/** No network of its own: the test daemon runs without a bridge. */
	private static final String COMPOSE_FILE = """
			services:
			  talker:
			    image: mini:latest
			    network_mode: none
			    command: ["sh", "-c", "echo ready; sleep 300"]
			""";

	private DockerDaemon docker;

	private RunningProxy proxy;

	private Path composeFile;

	@BeforeAll
	void start(DockerDaemon docker) throws IOException {
		this.docker = docker;
		docker.removeAllContainers();
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml");
		this.composeFile = Files.writeString(Files.createTempDirectory(docker.workDir(), "compose").resolve("compose.yaml"),
				COMPOSE_FILE);
	}

	@AfterAll
	void stop() {
		this.proxy.close();
		this.docker.removeAllContainers();
	}

	@Test
	void upPsLogsExecRunAndDownPassTheFullRuleFile() {
		compose(null, "up", "-d");
		assertThat(names()).isEqualTo(PROJECT + "_talker_1\n");

		assertThat(compose(null, "ps")).containsPattern(PROJECT + "_talker_1 +sh -c echo ready; sleep 300 +Up");
		assertThat(compose(null, "logs", "--no-color", "talker")).contains("talker_1  | ready\n");
		assertThat(compose(null, "exec", "-T", "talker", "echo", "from exec")).isEqualTo("from exec\n");
		assertThat(compose("piped in\n".getBytes(StandardCharsets.UTF_8), "exec", "-T", "talker", "cat"))
			.isEqualTo("piped in\n");
		assertThat(compose(null, "run", "--rm", "-T", "talker", "echo", "from run")).isEqualTo("from run\n");
		assertThat(names()).as("run --rm removed its container").isEqualTo(PROJECT + "_talker_1\n");

		compose(null, "down", "--timeout", "1");
		assertThat(names()).isEmpty();
	}

	/** What {@code docker-compose <args>} prints on stdout; it must succeed. */
	private String compose(byte[] stdin, String... args) {
		List<String> command = new ArrayList<>(List.of("docker-compose", "--project-name", PROJECT, "--file",
				this.composeFile.toString()));
		command.addAll(List.of(args));
		return Command.succeeded(Command.run(Duration.ofSeconds(60),
				DockerDaemon.cliEnvironment(this.proxy.dockerHost()), stdin, command));
	}

	/** The containers the engine has, asked directly. */
	private String names() {
		return this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout();
	}

}
