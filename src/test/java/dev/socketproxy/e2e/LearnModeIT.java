package dev.socketproxy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 * Learn mode end to end: a proxy with no rules at all, in learn mode, forwards a real
 * docker CLI session and writes the rules it needed; a second proxy with only those rules
 * lets the same session through again (with new container IDs, so the generalisation is
 * what makes it pass) and refuses whatever the session did not do, before it reaches
 * dockerd.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LearnModeIT {

	private DockerDaemon docker;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		docker.docker("run", "-d", "--name", "present", DockerDaemon.IMAGE, "sh", "-c", "echo ready; sleep 300");
	}

	@AfterAll
	void stop() {
		this.docker.removeAllContainers();
	}

	@Test
	void learnedRulesLetTheRecordedSessionThroughAndRefuseEverythingElse() throws IOException {
		Path file = this.docker.workDir().resolve("learned.yaml");
		try (RunningProxy learning = RunningProxy.start("-socketpath=" + this.docker.socket(), "-learn",
				"-learnfile=" + file)) {
			session(learning.dockerHost());
		}
		String learned = Files.readString(file);

		assertThat(learned).contains("- name: learned-127-0-0-1", "clients: ['127.0.0.1']", "- '/_ping'",
				"- '/v1\\.[0-9]+/containers/[0-9a-f]{64}/start'", "- '/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json'")
			.doesNotContain("present", ".*")
			.doesNotContainPattern("[0-9a-f]{12}");

		try (RunningProxy enforcing = RunningProxy.start("-socketpath=" + this.docker.socket(),
				"--socketproxy.rules-file=" + file)) {
			session(enforcing.dockerHost());

			Command.Result networks = cli(enforcing, "network", "ls");
			Command.Result volume = cli(enforcing, "volume", "create", "learned-never");
			Command.Result remove = cli(enforcing, "rm", "-f", "present");

			assertThat(networks.exitCode()).as(networks.toString()).isNotZero();
			assertThat(networks.stderr()).contains("Forbidden");
			assertThat(volume.exitCode()).as(volume.toString()).isNotZero();
			assertThat(volume.stderr()).contains("Forbidden");
			assertThat(remove.exitCode()).as(remove.toString()).isNotZero();
			assertThat(remove.stderr()).contains("Method Not Allowed");
		}
		assertThat(this.docker.docker("volume", "ls", "-q").stdout()).doesNotContain("learned-never");
		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEqualTo("present\n");
	}

	@Test
	void overTheUnixSocketListenerTheDefaultRulesAreLearned() throws IOException {
		Path file = this.docker.workDir().resolve("learned-unix.yaml");
		Path endpoint = this.docker.workDir().resolve("learn-proxy.sock");
		try (RunningProxy learning = RunningProxy.start("-socketpath=" + this.docker.socket(), "-learn",
				"-learnfile=" + file, "-proxysocketendpoint=" + endpoint)) {
			assertThat(Command.succeeded(DockerDaemon.dockerAt("unix://" + endpoint, null, "ps", "--format", "{{.Names}}")))
				.isEqualTo("present\n");
		}

		assertThat(Files.readString(file)).endsWith("""
				socketproxy:
				  allow:
				    GET:
				      - '/v1\\.[0-9]+/containers/json'
				    HEAD:
				      - '/_ping'
				""");
	}

	/** A short, real CLI session: version, listings, inspect and a run with attach and wait. */
	private static void session(String host) {
		assertThat(Command.succeeded(DockerDaemon.dockerAt(host, null, "version", "--format", "{{.Server.Os}}")))
			.isEqualTo("linux\n");
		assertThat(Command.succeeded(DockerDaemon.dockerAt(host, null, "ps", "-a", "--format", "{{.Names}}")))
			.isEqualTo("present\n");
		assertThat(Command.succeeded(DockerDaemon.dockerAt(host, null, "run", "--rm", DockerDaemon.IMAGE, "echo", "hi")))
			.isEqualTo("hi\n");
		assertThat(Command.succeeded(
				DockerDaemon.dockerAt(host, null, "images", "--format", "{{.Repository}}:{{.Tag}}")).lines())
			.contains(DockerDaemon.IMAGE);
		assertThat(Command.succeeded(DockerDaemon.dockerAt(host, null, "inspect", "--format", "{{.Name}}", "present")))
			.isEqualTo("/present\n");
	}

	private static Command.Result cli(RunningProxy proxy, String... args) {
		return DockerDaemon.dockerAt(proxy.dockerHost(), null, args);
	}

}
