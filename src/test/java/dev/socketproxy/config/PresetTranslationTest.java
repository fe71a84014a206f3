package dev.socketproxy.config;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.MethodRules.Verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The translation table of docs/rules-and-deployments.md, "Migrating from Tecnativa /
 * linuxserver", judged by our own rule engine.
 */
class PresetTranslationTest {

	@ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
	@CsvSource(delimiter = '|', textBlock = """
			# preset    | switches (space separated)  | method | path                                   | verdict
			tecnativa   |                              | HEAD   | /_ping                                 | ALLOWED
			tecnativa   |                              | GET    | /v1.41/version                         | ALLOWED
			tecnativa   |                              | GET    | /version                               | ALLOWED
			tecnativa   |                              | GET    | /v1.41/events                          | ALLOWED
			tecnativa   |                              | GET    | /v1.41/containers/json                 | PATH_NOT_ALLOWED
			tecnativa   |                              | GET    | /v1.41/info                            | PATH_NOT_ALLOWED
			tecnativa   |                              | POST   | /v1.41/containers/create               | METHOD_NOT_ALLOWED
			tecnativa   | PING=0 VERSION=0 EVENTS=0    | GET    | /_ping                                 | METHOD_NOT_ALLOWED
			tecnativa   | PING=0                       | HEAD   | /_ping                                 | PATH_NOT_ALLOWED
			tecnativa   | VERSION=0                    | GET    | /v1.41/version                         | PATH_NOT_ALLOWED
			tecnativa   | EVENTS=0                     | GET    | /v1.41/events                          | PATH_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /v1.41/containers/json                 | ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /containers/abc/logs                   | ALLOWED
			tecnativa   | CONTAINERS=1                 | HEAD   | /v1.41/containers/abc/json             | ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /v1.41/containersfoo                   | PATH_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /v1.41/images/json                     | PATH_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /vX/containers/json                    | PATH_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | GET    | /api/containers/json                   | PATH_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | POST   | /v1.41/containers/create               | METHOD_NOT_ALLOWED
			tecnativa   | CONTAINERS=1                 | DELETE | /v1.41/containers/abc                  | METHOD_NOT_ALLOWED
			tecnativa   | CONTAINERS=1 POST=1          | POST   | /v1.41/containers/create               | ALLOWED
			tecnativa   | CONTAINERS=1 POST=1          | DELETE | /v1.41/containers/abc                  | ALLOWED
			tecnativa   | CONTAINERS=1 POST=1          | PUT    | /v1.41/containers/abc/archive          | ALLOWED
			tecnativa   | CONTAINERS=1 POST=1          | PATCH  | /v1.41/containers/abc                  | METHOD_NOT_ALLOWED
			tecnativa   | CONTAINERS=1 POST=1          | POST   | /v1.41/images/create                   | PATH_NOT_ALLOWED
			tecnativa   | POST=1                       | POST   | /v1.41/containers/abc/start            | PATH_NOT_ALLOWED
			tecnativa   | ALLOW_START=1                | POST   | /v1.41/containers/abc/start            | METHOD_NOT_ALLOWED
			tecnativa   | ALLOW_START=1 POST=1         | POST   | /v1.41/containers/abc/start            | ALLOWED
			tecnativa   | ALLOW_START=1 POST=1         | POST   | /v1.41/containers/abc/stop             | PATH_NOT_ALLOWED
			tecnativa   | ALLOW_STOP=1 POST=1          | POST   | /containers/my_app.1/stop              | ALLOWED
			tecnativa   | ALLOW_RESTARTS=1 POST=1      | POST   | /v1.41/containers/abc/restart          | ALLOWED
			tecnativa   | ALLOW_RESTARTS=1 POST=1      | POST   | /v1.41/containers/abc/kill             | ALLOWED
			tecnativa   | ALLOW_RESTARTS=1 POST=1      | POST   | /v1.41/containers/abc/start            | PATH_NOT_ALLOWED
			tecnativa   | ALLOW_RESTARTS=1 POST=1      | DELETE | /v1.41/containers/abc                  | PATH_NOT_ALLOWED
			tecnativa   | IMAGES=1                     | GET    | /v1.41/images/json                     | ALLOWED
			tecnativa   | INFO=1                       | GET    | /v1.41/info                            | ALLOWED
			tecnativa   | EXEC=1 POST=1                | POST   | /v1.41/exec/abc/start                  | ALLOWED
			tecnativa   | EXEC=1 POST=1                | POST   | /v1.41/containers/abc/exec             | PATH_NOT_ALLOWED
			tecnativa   | NETWORKS=1                   | GET    | /v1.41/networks                        | ALLOWED
			tecnativa   | VOLUMES=1                    | GET    | /v1.41/volumes/x                       | ALLOWED
			tecnativa   | SYSTEM=1                     | GET    | /v1.41/system/df                       | ALLOWED
			tecnativa   | AUTH=1 POST=1                | POST   | /v1.41/auth                            | ALLOWED
			tecnativa   | BUILD=1 POST=1               | POST   | /v1.41/build                           | ALLOWED
			tecnativa   | COMMIT=1 POST=1              | POST   | /v1.41/commit                          | ALLOWED
			tecnativa   | CONFIGS=1                    | GET    | /v1.41/configs                         | ALLOWED
			tecnativa   | DISTRIBUTION=1               | GET    | /v1.41/distribution/alpine/json        | ALLOWED
			tecnativa   | GRPC=1 POST=1                | POST   | /grpc                                  | ALLOWED
			tecnativa   | NODES=1                      | GET    | /v1.41/nodes                           | ALLOWED
			tecnativa   | PLUGINS=1                    | GET    | /v1.41/plugins                         | ALLOWED
			tecnativa   | SECRETS=1                    | GET    | /v1.41/secrets                         | ALLOWED
			tecnativa   | SERVICES=1                   | GET    | /v1.41/services                        | ALLOWED
			tecnativa   | SESSION=1 POST=1             | POST   | /session                               | ALLOWED
			tecnativa   | SWARM=1                      | GET    | /v1.41/swarm                           | ALLOWED
			tecnativa   | TASKS=1                      | GET    | /v1.41/tasks                           | ALLOWED
			linuxserver |                              | GET    | /v1.41/version                         | ALLOWED
			linuxserver |                              | GET    | /v1.41/containers/json                 | PATH_NOT_ALLOWED
			linuxserver | ALLOW_START=1                | POST   | /v1.41/containers/abc/start            | ALLOWED
			linuxserver | ALLOW_START=1                | POST   | /v1.41/containers/create               | PATH_NOT_ALLOWED
			linuxserver | ALLOW_START=1                | GET    | /v1.41/containers/abc/start            | PATH_NOT_ALLOWED
			linuxserver | ALLOW_STOP=1                 | POST   | /v1.41/containers/abc/stop             | ALLOWED
			linuxserver | ALLOW_RESTARTS=1             | POST   | /v1.41/containers/abc/kill             | ALLOWED
			linuxserver | ALLOW_PAUSE=1 ALLOW_UNPAUSE=1| POST   | /v1.41/containers/abc/unpause          | ALLOWED
			linuxserver | ALLOW_RESTARTS=1 CONTAINERS=1| POST   | /v1.41/containers/create               | PATH_NOT_ALLOWED
			linuxserver | CONTAINERS=1 POST=1          | POST   | /v1.41/containers/create               | ALLOWED
			""")
	void translationTable(String preset, String switches, String method, String path, Verdict expected) {
		MethodRules rules = MethodRules.compile(PresetTranslation.translate(preset, env(switches)).allow());

		assertThat(rules.evaluate(method, path)).isEqualTo(expected);
	}

	@Test
	void defaultsGiveReadAccessToPingVersionAndEventsOnly() {
		PresetTranslation translation = PresetTranslation.translate("tecnativa", Map.of());

		assertThat(translation.allow()).containsOnlyKeys("GET", "HEAD");
		assertThat(translation.allow().get("GET")).containsExactly("(/v[0-9.]+)?/events(/.*)?",
				"(/v[0-9.]+)?/_ping(/.*)?", "(/v[0-9.]+)?/version(/.*)?");
		assertThat(translation.properties().get("socketproxy.listen-ip")).hasToString("::");
		assertThat(translation.properties()).doesNotContainKey("socketproxy.socket-path");
	}

	@Test
	void socketPathAndDisableIpv6ComeAlong() {
		PresetTranslation translation = PresetTranslation.translate("LinuxServer",
				Map.of("SOCKET_PATH", "/run/podman.sock", "DISABLE_IPV6", "true"));

		assertThat(translation.preset()).isEqualTo("linuxserver");
		assertThat(translation.properties().get("socketproxy.listen-ip")).hasToString("0.0.0.0");
		assertThat(translation.properties().get("socketproxy.socket-path")).hasToString("/run/podman.sock");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "yes", "2", "", "on" })
	void switchesOtherThanZeroOrOneAreRefusedNamingTheVariable(String value) {
		assertThatThrownBy(() -> PresetTranslation.translate("tecnativa", Map.of("CONTAINERS", value)))
			.isInstanceOfSatisfying(InvalidConfigurationException.class, (ex) -> {
				assertThat(ex.getKey()).isEqualTo("CONTAINERS");
				assertThat(ex.getValue()).isEqualTo(value);
				assertThat(ex.getReason()).startsWith("must be 0 or 1");
			});
	}

	@Test
	void newerGranularSwitchesAreRefusedRatherThanIgnored() {
		assertThatThrownBy(() -> PresetTranslation.translate("tecnativa", Map.of("ALLOW_EXEC", "0")))
			.isInstanceOfSatisfying(InvalidConfigurationException.class,
					(ex) -> assertThat(ex.getMessage()).startsWith("ALLOW_EXEC='0': not translated by preset tecnativa"));
	}

	@Test
	void unknownPresetIsRefused() {
		assertThatThrownBy(() -> PresetTranslation.translate("haproxy", Map.of()))
			.isInstanceOfSatisfying(InvalidConfigurationException.class, (ex) -> assertThat(ex.getMessage())
				.isEqualTo("socketproxy.preset='haproxy': unknown preset; use tecnativa or linuxserver"));
	}

	@Test
	void badDisableIpv6IsRefused() {
		assertThatThrownBy(() -> PresetTranslation.translate("tecnativa", Map.of("DISABLE_IPV6", "maybe")))
			.isInstanceOfSatisfying(InvalidConfigurationException.class,
					(ex) -> assertThat(ex.getKey()).isEqualTo("DISABLE_IPV6"));
	}

	private static Map<String, String> env(String switches) {
		Map<String, String> env = new HashMap<>();
		if (switches != null) {
			for (String pair : switches.trim().split("\\s+")) {
				String[] parts = pair.split("=", 2);
				env.put(parts[0], parts[1]);
			}
		}
		return env;
	}

}
