package dev.socketproxy.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same clients under {@code config/docker-cli-readonly.yaml}, plus one rule that lets
 * an exec be created but not started: read-only commands pass; everything else gets the
 * proxy's refusal, and dockerd's state shows the call never arrived.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRefusalIT {

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(),
				"-allowPOST=/v1\\.\\d+/containers/[^/]+/exec",
				"--spring.config.additional-location=file:config/docker-cli-readonly.yaml");
		docker.docker("run", "-d", "--name", "present", DockerDaemon.IMAGE, "sh", "-c", "echo ready; sleep 300");
	}

	@AfterAll
	void stop() {
		this.proxy.close();
		this.docker.removeAllContainers();
	}

	@AfterEach
	void onlyThePresentContainerExists() {
		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEqualTo("present\n");
	}

	@Test
	void readOnlyCommandsPass() {
		assertThat(Command.succeeded(cli("ps", "-a", "--format", "{{.Names}}"))).isEqualTo("present\n");
		assertThat(Command.succeeded(cli("logs", "present"))).isEqualTo("ready\n");
		assertThat(Command.succeeded(cli("images", "--format", "{{.Repository}}:{{.Tag}}")).lines()).contains(DockerDaemon.IMAGE);
	}

	@Test
	void runIsRefusedAndNoContainerIsCreated() {
		Command.Result run = cli("run", "--rm", DockerDaemon.IMAGE, "echo", "hi");

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stdout()).doesNotContain("hi");
		assertThat(run.stderr()).contains("Error response from daemon: Forbidden");
	}

	@Test
	void execStartIsRefusedOnTheUpgradeRequestAndNeverRuns() {
		Command.Result exec = cli("exec", "present", "sh", "-c", "echo ran > /tmp/marker");

		assertThat(exec.exitCode()).as(exec.toString()).isNotZero();
		assertThat(exec.stderr()).contains("unable to upgrade to tcp, received 403");
		assertThat(this.docker.docker("exec", "present", "cat", "/tmp/marker").exitCode()).isNotZero();
		assertThat(this.proxy.context().isRunning()).isTrue();
	}

	@Test
	void importAndExportAreRefused() {
		Command.Result imported = DockerDaemon.dockerAt(this.proxy.dockerHost(), new byte[1024], "import", "-", "refused:latest");
		Command.Result exported = cli("export", "present");

		assertThat(imported.stderr()).contains("Error response from daemon: Forbidden");
		assertThat(this.docker.docker("images", "-q", "refused:latest").stdout()).isBlank();
		assertThat(exported.exitCode()).isNotZero();
		assertThat(exported.stderr()).contains("Forbidden");
		assertThat(exported.stdout()).isEmpty();
	}

	@Test
	void pythonSdkReadsButCannotRunContainers() {
		String script = """
				import sys, docker
				client = docker.DockerClient(base_url=sys.argv[1], version='auto', timeout=30)
				print('containers', [c.name for c in client.containers.list()])
				try:
				    client.containers.run('mini:latest', ['echo', 'refused'], name='sdk-refused')
				except docker.errors.APIError as e:
				    print('refused', e.response.status_code, e.response.text.strip())
				""";

		String output = Command.succeeded(DockerDaemon.python(script, this.proxy.dockerHost()));

		assertThat(output).isEqualTo("containers ['present']\nrefused 403 Forbidden\n");
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

}
