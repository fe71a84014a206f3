package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our YAML, the reference's SP_ variables and its flags, through the running proxy: a
 * flag wins over SP_ variables, which win over YAML; a flag for one method drops only
 * that method's variables. Our keys in every spelling Spring Boot binds pass the check
 * for unknown keys (misspelt ones: {@link StartupFailureIT}).
 */
class ConfigurationSourcesIT {

	private static final Duration START = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private Path yaml;

	@BeforeEach
	void start() throws Exception {
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"));
		this.yaml = Files.writeString(this.dir.resolve("rules.yaml"), """
				socketproxy:
				  socket-path: %s
				  allow:
				    GET: ["/from-yaml", "/also-yaml"]
				    HEAD: ["/_ping"]
				""".formatted(this.server.socket()));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void yamlAlone() throws Exception {
		try (RunningProxy proxy = RunningProxy.start(location())) {
			assertThat(status(proxy, "GET", "/from-yaml")).isEqualTo(200);
			assertThat(status(proxy, "GET", "/also-yaml")).isEqualTo(200);
			assertThat(status(proxy, "HEAD", "/_ping")).isEqualTo(200);
			assertThat(status(proxy, "GET", "/from-env")).isEqualTo(403);
		}
	}

	@Test
	void spVariablesReplaceTheYamlListOfTheirMethod() throws Exception {
		try (RunningProxy proxy = RunningProxy.start(Map.of("SP_ALLOW_GET", "/from-env", "SP_ALLOW_GET_1", "/env-two"),
				location())) {
			assertThat(status(proxy, "GET", "/from-env")).isEqualTo(200);
			assertThat(status(proxy, "GET", "/env-two")).isEqualTo(200);
			assertThat(status(proxy, "GET", "/from-yaml")).isEqualTo(403);
			assertThat(status(proxy, "HEAD", "/_ping")).isEqualTo(200);
		}
	}

	@Test
	void flagDropsThatMethodsVariablesOnly() throws Exception {
		try (RunningProxy proxy = RunningProxy.start(Map.of("SP_ALLOW_GET", "/from-env", "SP_ALLOW_POST", "/post-env"),
				location(), "-allowGET=/from-flag")) {
			assertThat(status(proxy, "GET", "/from-flag")).isEqualTo(200);
			assertThat(status(proxy, "GET", "/from-env")).isEqualTo(403);
			assertThat(status(proxy, "GET", "/from-yaml")).isEqualTo(403);
			assertThat(status(proxy, "POST", "/post-env")).isEqualTo(200);
			assertThat(status(proxy, "DELETE", "/from-flag")).isEqualTo(405);
		}
		assertThat(this.server.requests()).extracting(RecordingUnixSocketServer.Recorded::uri)
			.containsExactly("/from-flag", "/post-env");
	}

	@Test
	void ourKeysInEveryFormStartTheProcessAndAreBound() throws Exception {
		Path yaml = Files.writeString(this.dir.resolve("relaxed.yaml"), """
				socketproxy:
				  containerPolicy:
				    refuseUnconfined: true
				  profiles:
				    - name: ci
				      clients: [10.0.0.1]
				      allow-bind-mount-from: [/srv]
				  allow:
				    GET: ["/from-yaml"]
				""");
		Map<String, String> env = Map.of("SOCKETPROXY_CONTAINERPOLICY_REFUSEDEVICES", "true",
				"SOCKETPROXY_CONTAINER_POLICY_REFUSE_HOST_NAMESPACES", "true", "socketproxy_limits_headertimeout", "20s",
				"SOCKETPROXY_ALLOWFROM_0", "127.0.0.2", "SOCKETPROXY_ALLOW_HEAD_0", "/from-env");
		int port = RunningProxy.freePort();
		String[] args = { "-socketpath=" + this.server.socket(), "-proxyport=" + port,
				"--socketproxy.container-policy.refuse-privileged=true",
				"--socketproxy.containerPolicy.refuseStartHostConfig=true",
				"--spring.config.additional-location=file:" + yaml };
		try (ProxyProcess proxy = ProxyProcess.start(env, args)) {
			proxy.waitForPort(port, START);
			assertThat(proxy.errors()).isEmpty();
		}
		try (ProxyProcess printed = ProxyProcess.start(env,
				Stream.concat(Stream.of("--print-config"), Stream.of(args)).toArray(String[]::new))) {
			assertThat(printed.waitForExit(START)).as(printed.errors()).isZero();
			assertThat(printed.output()).contains("refuse-privileged: true", "refuse-host-namespaces: true",
					"refuse-devices: true", "refuse-unconfined: true", "refuse-start-host-config: true",
					"header-timeout: 20s", "- '127.0.0.2'", "- '/from-env'", "- '/srv'", "- '/from-yaml'");
		}
	}

	private String location() {
		return "--spring.config.additional-location=file:" + this.yaml;
	}

	private int status(RunningProxy proxy, String method, String path) {
		return proxy.status(method, path);
	}

}
