package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our YAML, the reference's SP_ variables and its flags, through the running proxy: a
 * flag wins over SP_ variables, which win over YAML; a flag for one method drops only
 * that method's variables.
 */
class ConfigurationSourcesIT {

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

	private String location() {
		return "--spring.config.additional-location=file:" + this.yaml;
	}

	private int status(RunningProxy proxy, String method, String path) {
		return proxy.status(method, path);
	}

}
