package dev.socketproxy.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigurationYamlTest {

	@Test
	void everyStringIsQuotedSoRegexesAndOctalModesSurvive() {
		String yaml = ConfigurationYaml.document("socketproxy",
				Map.of("allow", Map.of("GET", List.of("/v1\\.[0-9]+/it's|x: #y")), "mode", "0600", "on", "yes"));

		assertThat(yaml).isEqualTo("""
				socketproxy:
				  allow:
				    GET:
				      - '/v1\\.[0-9]+/it''s|x: #y'
				  mode: '0600'
				  on: 'yes'
				""");
	}

	@Test
	void controlCharactersAreEscapedInDoubleQuotes() {
		assertThat(ConfigurationYaml.quote("a\tb\"c")).isEqualTo("\"a\\x09b\\\"c\"");
	}

	@Test
	void listsOfRecordsAndEmptyAndUnsetValues() {
		record Client(String name, List<String> allowFrom, String note) {
		}
		String yaml = ConfigurationYaml.document("root",
				Map.of("clients", List.of(new Client("traefik", List.of("10.0.0.0/8"), null)), "empty", Map.of()));

		assertThat(yaml).isEqualTo("""
				root:
				  clients:
				    - name: 'traefik'
				      allow-from:
				        - '10.0.0.0/8'
				      # note: (not set)
				  empty: {}
				""");
	}

	@Test
	void printedPropertiesBindBackToTheSameRecord() throws Exception {
		SocketProxyProperties original = bind("""
				socketproxy:
				  listen-ip: '::'
				  allow-from: [10.0.0.0/8, traefik]
				  allow:
				    GET: ['/v1\\.[0-9]+/(version|containers/.*)', "/it's"]
				    HEAD: ['/_ping']
				  shutdown-grace-time: 1500ms
				  proxy-socket-endpoint-file-mode: '0660'
				  proxy-socket-endpoint: /run/proxy.sock
				  allow-bind-mount-from: [/srv/data]
				  report-only: true
				  redact-env: true
				  allow-images: ['docker\\.io/library/busybox:.*']
				  refuse-latest: true
				  profiles:
				    - name: traefik
				      clients: [10.0.0.0/8, traefik]
				      allow:
				        GET: ['/v1\\.[0-9]+/version']
				      redact-env: true
				      allow-images: ['ghcr\\.io/acme/.*', 'nginx:1']
				    - name: watchtower
				      clients: [watchtower]
				  limits:
				    max-inspected-body: 3000B
				    header-timeout: 2m
				  container-policy:
				    restrict-capabilities: true
				    allowed-capabilities: [NET_ADMIN]
				""");
		String printed = ConfigurationYaml.document("socketproxy", original);

		assertThat(original.shutdownGraceTime()).isEqualTo(Duration.ofMillis(1500));
		assertThat(original.limits().maxInspectedBody()).isEqualTo(DataSize.ofBytes(3000));
		assertThat(printed).contains("shutdown-grace-time: 1500ms", "max-inspected-body: 3000B", "header-timeout: 120s",
				"proxy-socket-endpoint-file-mode: '0660'", "# proxy-container-name: (not set)",
				"  profiles:\n    - name: 'traefik'\n      clients:\n        - '10.0.0.0/8'\n", "redact-env: true",
				"refuse-latest: true", "      allow-images:\n        - 'ghcr\\.io/acme/.*'\n");
		assertThat(original.profiles().get(0).redactEnv()).isTrue();
		assertThat(original.profiles().get(1).redactEnv()).isFalse();
		assertThat(original.profiles().get(1).allowImages()).isEmpty();
		assertThat(bind(printed)).isEqualTo(original);
		assertThat(ConfigurationYaml.document("socketproxy", bind(printed))).isEqualTo(printed);
	}

	@Test
	void imageRulesAndRedactionBelongInTheRulesFileWhenThereIsOne() {
		for (String setting : List.of("redact-env: true", "allow-images: [x]", "refuse-latest: true")) {
			assertThatThrownBy(() -> bind("socketproxy:\n  rules-file: /etc/rules.yaml\n  " + setting + "\n"))
				.as(setting)
				.rootCause()
				.isInstanceOf(InvalidConfigurationException.class)
				.hasMessageContaining("socketproxy." + setting.substring(0, setting.indexOf(':')))
				.hasMessageContaining("the rules file holds all rules");
		}
	}

	@Test
	void defaultsRoundTrip() throws Exception {
		SocketProxyProperties defaults = bind("socketproxy: {}\n");

		assertThat(bind(ConfigurationYaml.document("socketproxy", defaults))).isEqualTo(defaults);
	}

	private static SocketProxyProperties bind(String yaml) throws Exception {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		new YamlPropertySourceLoader()
			.load("test.yaml", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))
			.forEach(environment.getPropertySources()::addLast);
		return new Binder(ConfigurationPropertySources.from(environment.getPropertySources()))
			.bindOrCreate("socketproxy", SocketProxyProperties.class);
	}

}
