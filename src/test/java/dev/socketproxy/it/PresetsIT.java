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
import dev.socketproxy.support.RecordingUnixSocketServer.Recorded;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tecnativa and linuxserver switches through the running proxy: what the socket server
 * receives is exactly what the translation table lets pass, and nothing else.
 */
class PresetsIT {

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	@BeforeEach
	void start() {
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void tecnativaDefaultsWithContainersAreReadOnly() {
		try (RunningProxy proxy = start(Map.of("CONTAINERS", "1", "SOCKET_PATH", this.server.socket().toString()),
				"-preset=tecnativa")) {
			assertThat(proxy.status("HEAD", "/_ping")).isEqualTo(200);
			assertThat(proxy.status("GET", "/v1.41/version")).isEqualTo(200);
			assertThat(proxy.status("GET", "/v1.41/containers/json")).isEqualTo(200);
			assertThat(proxy.status("GET", "/containers/abc/logs")).isEqualTo(200);
			assertThat(proxy.status("GET", "/v1.41/images/json")).isEqualTo(403);
			assertThat(proxy.status("GET", "/v1.41/containersx")).isEqualTo(403);
			assertThat(proxy.status("POST", "/v1.41/containers/create")).isEqualTo(405);
			assertThat(proxy.status("DELETE", "/v1.41/containers/abc")).isEqualTo(405);
		}
		assertThat(this.server.requests()).extracting(Recorded::method, Recorded::uri)
			.containsExactly(tuple("HEAD", "/_ping"),
					tuple("GET", "/v1.41/version"),
					tuple("GET", "/v1.41/containers/json"),
					tuple("GET", "/containers/abc/logs"));
	}

	@Test
	void postOpensTheWriteMethodsOfEnabledSectionsOnly() {
		try (RunningProxy proxy = start(Map.of("CONTAINERS", "1", "POST", "1"), "-preset=tecnativa",
				socketPath())) {
			assertThat(proxy.status("POST", "/v1.41/containers/create")).isEqualTo(200);
			assertThat(proxy.status("DELETE", "/v1.41/containers/abc")).isEqualTo(200);
			assertThat(proxy.status("POST", "/v1.41/images/create")).isEqualTo(403);
			assertThat(proxy.status("PATCH", "/v1.41/containers/abc")).isEqualTo(405);
		}
		assertThat(this.server.requests()).extracting(Recorded::uri)
			.containsExactly("/v1.41/containers/create", "/v1.41/containers/abc");
	}

	@Test
	void linuxserverAllowStartPassesWithoutPost() {
		try (RunningProxy proxy = start(Map.of("ALLOW_START", "1"), "-preset=linuxserver", socketPath())) {
			assertThat(proxy.status("POST", "/v1.41/containers/web/start")).isEqualTo(200);
			assertThat(proxy.status("POST", "/v1.41/containers/web/stop")).isEqualTo(403);
			assertThat(proxy.status("POST", "/v1.41/containers/create")).isEqualTo(403);
		}
		assertThat(this.server.requests()).extracting(Recorded::uri).containsExactly("/v1.41/containers/web/start");
	}

	@Test
	void tecnativaChecksTheMethodFirstSoAllowStartNeedsPost() {
		try (RunningProxy proxy = start(Map.of("ALLOW_START", "1"), "-preset=tecnativa", socketPath())) {
			assertThat(proxy.status("POST", "/v1.41/containers/web/start")).isEqualTo(405);
		}
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void otherSourcesReplaceThePresetRulesOfTheirMethodOnly() {
		try (RunningProxy proxy = start(Map.of("CONTAINERS", "1", "SP_ALLOW_GET", "/only-this"), "-preset=tecnativa",
				socketPath())) {
			assertThat(proxy.status("GET", "/only-this")).isEqualTo(200);
			assertThat(proxy.status("GET", "/v1.41/containers/json")).isEqualTo(403);
			assertThat(proxy.status("HEAD", "/v1.41/containers/json")).isEqualTo(200);
		}
	}

	@Test
	void switchesDoNothingWithoutOptingIn() {
		try (RunningProxy proxy = start(Map.of("CONTAINERS", "1", "POST", "1"), socketPath())) {
			assertThat(proxy.status("GET", "/v1.41/containers/json")).isEqualTo(405);
			assertThat(proxy.status("HEAD", "/_ping")).isEqualTo(405);
		}
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void aRulesFileExcludesAPreset() throws Exception {
		Path rules = Files.writeString(this.dir.resolve("rules.yaml"), "allow:\n  GET: [/x]\n");

		assertThatThrownBy(() -> start(Map.of(), "-preset=tecnativa", socketPath(), "--socketproxy.rules-file=" + rules))
			.hasStackTraceContaining("socketproxy.preset='tecnativa': cannot be combined with socketproxy.rules-file "
					+ rules + ", which holds all rules");
		assertThat(this.server.requests()).isEmpty();
	}

	@Test
	void startupLogShowsTheTranslationAsYaml() {
		try (ProxyProcess proxy = ProxyProcess.start(Map.of("SOCKETPROXY_PRESET", "tecnativa", "CONTAINERS", "1",
				"SOCKET_PATH", this.server.socket().toString()), "-listenip=127.0.0.1",
				"-proxyport=" + RunningProxy.freePort())) {
			proxy.waitForOutput("socket-proxy configuration", Duration.ofSeconds(120));

			assertThat(proxy.output()).contains("preset rules (other sources replace them per method); as YAML:\n"
					+ "socketproxy:\n  allow:\n    GET:\n      - '(/v[0-9.]+)?/containers(/.*)?'\n"
					+ "      - '(/v[0-9.]+)?/events(/.*)?'\n");
			assertThat(proxy.output()).contains("preset=\"tecnativa\"");
		}
	}

	private String socketPath() {
		return "-socketpath=" + this.server.socket();
	}

	/** Listens on loopback only: the preset's wildcard address is not what these tests are about. */
	private static RunningProxy start(Map<String, String> env, String... args) {
		return RunningProxy.start(env, Stream.concat(Stream.of(args), Stream.of("-listenip=127.0.0.1")).toArray(String[]::new));
	}

}
