package dev.socketproxy.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.NodeScripts;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dockerode, the Node.js Docker client of Homepage and many dashboards, against a real
 * dockerd through the proxy. Built without a {@code version} option, as Homepage builds
 * it, dockerode sends unversioned paths ({@code /containers/json}, {@code /info}), which
 * the ready-made rule files and the Homepage example must accept. The scripts are in
 * {@code src/test/node}, their packages pinned in its lock file.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerodeIT {

	/** The container Homepage would show: it asks for it by name. */
	private static final String SHOWN = "dashboarded";

	private DockerDaemon docker;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		docker.removeAllContainers();
		docker.docker("run", "-d", "--name", SHOWN, DockerDaemon.IMAGE, "sleep", "300");
	}

	@AfterAll
	void removeContainers() {
		this.docker.removeAllContainers();
	}

	@Test
	void homepageCallsPassTheHomepageRuleFile() {
		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + this.docker.socket(),
				"--spring.config.additional-location=file:config/homepage.yaml")) {
			assertHomepageCallsPass(proxy);
		}
	}

	@Test
	void homepageCallsPassTheHomepageExamplesFlags() throws IOException {
		List<String> args = new ArrayList<>(exampleAllowFlags(Path.of("examples/homepage/compose.yaml")));
		assertThat(args).isNotEmpty();
		args.add("-socketpath=" + this.docker.socket());
		try (RunningProxy proxy = RunningProxy.start(args.toArray(String[]::new))) {
			assertHomepageCallsPass(proxy);
		}
	}

	@Test
	void readOnlyRuleFileLetsDockerodeReadButNotCreate() {
		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + this.docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-readonly.yaml")) {
			String output = Command.succeeded(NodeScripts.run("readonly-calls.js", Integer.toString(proxy.port())));

			// 405: the file allows no POST at all, so the proxy refuses the method itself
			assertThat(output).isEqualTo("info " + engineVersion() + "\ncontainers /" + SHOWN + "\nimages true\ncreate 405\n");
			assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEqualTo(SHOWN + "\n");
		}
	}

	@Test
	void fullLifecyclePassesTheFullRuleFile() {
		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + this.docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml")) {
			String output = Command.succeeded(NodeScripts.run("full-lifecycle.js", Integer.toString(proxy.port())));

			assertThat(output).isEqualTo("""
					create true
					event start
					logs started
					exec through the hijacked exec exit 0
					event destroy
					""");
			assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEqualTo(SHOWN + "\n");
		}
	}

	private void assertHomepageCallsPass(RunningProxy proxy) {
		String output = Command.succeeded(NodeScripts.run("homepage-calls.js", Integer.toString(proxy.port()), SHOWN));

		assertThat(output).isEqualTo("list " + SHOWN + "\ninfo " + engineVersion() + "\ninspect running\nstats /"
				+ SHOWN + " object\n");
	}

	private String engineVersion() {
		return this.docker.docker("version", "--format", "{{.Server.Version}}").stdout().trim();
	}

	/**
	 * The rule flags ({@code -allowGET=...}) the example gives the proxy; not
	 * {@code -allowfrom}, which names the client's container, nor the listener's flags.
	 */
	@SuppressWarnings("unchecked")
	private static List<String> exampleAllowFlags(Path compose) throws IOException {
		Map<String, Object> file = new Yaml().load(Files.readString(compose));
		Map<String, Object> proxy = (Map<String, Object>) ((Map<String, Object>) file.get("services")).get("dockerproxy");
		return ((List<String>) proxy.get("command")).stream()
			.filter((arg) -> arg.startsWith("-allow") && !arg.startsWith("-allowfrom"))
			.toList();
	}

}
