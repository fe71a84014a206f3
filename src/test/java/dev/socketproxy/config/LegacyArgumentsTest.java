package dev.socketproxy.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LegacyArgumentsTest {

	@Test
	void translatesEveryReferenceFlag() {
		LegacyArguments legacy = LegacyArguments.parse(new String[] { "-allowfrom=10.0.0.0/8,traefik",
				"-allowhealthcheck", "-listenip=0.0.0.0", "-proxyport", "2376", "-logjson=true", "-loglevel=debug",
				"-socketpath=/run/docker.sock", "-shutdowngracetime=5", "-watchdoginterval=30", "-stoponwatchdog",
				"-proxysocketendpoint=/tmp/p.sock", "-proxysocketendpointfilemode=0660",
				"-allowbindmountfrom=/home,/srv", "-proxycontainername=proxy", "-dockerlabelprefix=sp",
				"--allowHEAD=/_ping" }, Map.of());

		assertThat(values(legacy.flagProperties())).containsOnly(Map.entry("socketproxy.allow-from", "10.0.0.0/8,traefik"),
				Map.entry("socketproxy.allow-health-check", "true"), Map.entry("socketproxy.listen-ip", "0.0.0.0"),
				Map.entry("socketproxy.proxy-port", "2376"), Map.entry("socketproxy.log-json", "true"),
				Map.entry("socketproxy.log-level", "debug"), Map.entry("socketproxy.socket-path", "/run/docker.sock"),
				Map.entry("socketproxy.shutdown-grace-time", "5s"), Map.entry("socketproxy.watchdog-interval", "30s"),
				Map.entry("socketproxy.stop-on-watchdog", "true"),
				Map.entry("socketproxy.proxy-socket-endpoint", "/tmp/p.sock"),
				Map.entry("socketproxy.proxy-socket-endpoint-file-mode", "0660"),
				Map.entry("socketproxy.allow-bind-mount-from", "/home,/srv"),
				Map.entry("socketproxy.proxy-container-name", "proxy"),
				Map.entry("socketproxy.docker-label-prefix", "sp"), Map.entry("socketproxy.allow[HEAD][0]", "/_ping"));
	}

	@Test
	void repeatedMethodFlagsBecomeAList() {
		LegacyArguments legacy = LegacyArguments.parse(new String[] { "-allowGET=/a", "-allowPOST=/p", "-allowGET=/b" },
				Map.of());

		assertThat(values(legacy.flagProperties())).containsOnly(Map.entry("socketproxy.allow[GET][0]", "/a"),
				Map.entry("socketproxy.allow[GET][1]", "/b"), Map.entry("socketproxy.allow[POST][0]", "/p"));
	}

	@Test
	void learnModeFlagsSetTheLearnProperties() {
		LegacyArguments legacy = LegacyArguments.parse(new String[] { "-learn", "-learnfile=/tmp/learned.yaml" }, Map.of());

		assertThat(values(legacy.flagProperties())).containsOnly(Map.entry("socketproxy.learn.enabled", "true"),
				Map.entry("socketproxy.learn.file", "/tmp/learned.yaml"));
	}

	@Test
	void springPropertyArgumentsArePassedOn() {
		LegacyArguments legacy = LegacyArguments
			.parse(new String[] { "--spring.config.additional-location=file:x.yaml", "-allowGET=/a" }, Map.of());

		assertThat(legacy.springArguments()).containsExactly("--spring.config.additional-location=file:x.yaml");
	}

	@Test
	void readsSpVariablesInReferenceOrder() {
		LegacyArguments legacy = LegacyArguments.parse(new String[0],
				Map.of("SP_ALLOW_GET", "/first", "SP_ALLOW_GET_10", "/ten", "SP_ALLOW_GET_2", "/two", "SP_ALLOW_GET_X",
						"/named", "SP_PROXYPORT", "2380", "SP_LOGJSON", "1", "SP_ALLOW_HEAD", "", "PATH", "/usr/bin"));

		assertThat(values(legacy.environmentProperties())).containsOnly(Map.entry("socketproxy.allow[GET][0]", "/first"),
				Map.entry("socketproxy.allow[GET][1]", "/two"), Map.entry("socketproxy.allow[GET][2]", "/ten"),
				Map.entry("socketproxy.allow[GET][3]", "/named"), Map.entry("socketproxy.proxy-port", "2380"),
				Map.entry("socketproxy.log-json", "true"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "-proxyport=abc|-proxyport='abc': not a whole number from 0 to 2147483647",
			"-proxyport=-1|-proxyport='-1': not a whole number from 0 to 2147483647",
			"-shutdowngracetime=1.5|-shutdowngracetime='1.5': not a whole number from 0 to 2147483647",
			"-logjson=yes|-logjson='yes': not a boolean (use true or false)",
			"-stoponwatchdog=maybe|-stoponwatchdog='maybe': not a boolean (use true or false)",
			"-allowget=/x|-allowget='/x': unknown flag", "-verbose|-verbose=(empty): unknown flag",
			"watchdoginterval=3600|argument='watchdoginterval=3600': unexpected argument; flags start with '-', e.g. -watchdoginterval=3600",
			"-socketpath|-socketpath=(empty): flag needs a value" })
	void rejectsBadFlagsNamingThem(String arg, String message) {
		assertThatThrownBy(() -> LegacyArguments.parse(new String[] { arg }, Map.of()))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage(message);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "SP_PROXYPORT|99999999999|SP_PROXYPORT='99999999999': not a whole number from 0 to 2147483647",
			"SP_LOGJSON|on|SP_LOGJSON='on': not a boolean (use true or false)",
			"SP_ALLOWHEALTHCHECK|yes|SP_ALLOWHEALTHCHECK='yes': not a boolean (use true or false)",
			"SP_WATCHDOGINTERVAL|10s|SP_WATCHDOGINTERVAL='10s': not a whole number from 0 to 2147483647",
			"SP_ALLOW_FETCH|/x|SP_ALLOW_FETCH='/x': unknown HTTP method 'FETCH'; use one of GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, TRACE, OPTIONS",
			"SP_ALLOWFORM|10.0.0.0/8|SP_ALLOWFORM='10.0.0.0/8': unknown SP_ environment variable",
			"SP_proxyport|1|SP_proxyport='1': unknown SP_ environment variable" })
	void rejectsBadVariablesInsteadOfIgnoringThem(String name, String value, String message) {
		assertThatThrownBy(() -> LegacyArguments.parse(new String[0], Map.of(name, value)))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessage(message);
	}

	private static Map<String, String> values(Map<String, Object> properties) {
		Map<String, String> values = new java.util.LinkedHashMap<>();
		properties.forEach((key, value) -> values.put(key, String.valueOf(
				(value instanceof org.springframework.boot.origin.OriginTrackedValue tracked) ? tracked.getValue() : value)));
		return values;
	}

}
