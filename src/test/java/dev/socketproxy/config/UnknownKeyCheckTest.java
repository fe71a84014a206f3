package dev.socketproxy.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check over an environment's property sources, as Spring Boot lays them out; no application is started. */
class UnknownKeyCheckTest {

	@Test
	void anUnknownArgumentNamesItselfItsValueAndTheNearestKey() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SimpleCommandLinePropertySource("--socketproxy.container-policy.refuse-privilegd=true"));

		assertThatThrownBy(() -> UnknownKeyCheck.check(sources)).isInstanceOfSatisfying(
				InvalidConfigurationException.class,
				(ex) -> assertLine(ex, "socketproxy.container-policy.refuse-privilegd='true' (from command-line argument): "
						+ "unknown key; the nearest valid key is socketproxy.container-policy.refuse-privileged"));
	}

	@Test
	void anUnknownVariableIsJudgedAndSuggestedAsAVariable() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("PATH", "/bin", "SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD", "true")));

		assertThatThrownBy(() -> UnknownKeyCheck.check(sources)).isInstanceOfSatisfying(
				InvalidConfigurationException.class,
				(ex) -> assertLine(ex, "SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD='true' (from environment variable): "
						+ "unknown key; the nearest valid key is SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED"));
	}

	@Test
	void anUnknownSystemPropertyIsRefused() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
				Map.of("java.version", "17", "socketproxy.profiles[0].nmae", "traefik")));

		assertThatThrownBy(() -> UnknownKeyCheck.check(sources)).isInstanceOfSatisfying(
				InvalidConfigurationException.class,
				(ex) -> assertLine(ex, "socketproxy.profiles[0].nmae='traefik' (from system property): "
						+ "unknown key; the nearest valid key is socketproxy.profiles[0].name"));
	}

	@Test
	void anUnknownYamlKeyNamesTheFileAndLine() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new OriginTrackedMapPropertySource("Config resource 'file [rules.yaml]'",
				Map.of("socketproxy.limits.header-timout", OriginTrackedValue.of("5s",
						new LegacyArguments.Source("file [rules.yaml] - 3:20")))));

		assertThatThrownBy(() -> UnknownKeyCheck.check(sources)).isInstanceOfSatisfying(
				InvalidConfigurationException.class,
				(ex) -> assertLine(ex, "socketproxy.limits.header-timout='5s' (from file [rules.yaml] - 3:20): "
						+ "unknown key; the nearest valid key is socketproxy.limits.header-timeout"));
	}

	@Test
	void knownKeysInEverySourceAndOtherPrefixesPass() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SimpleCommandLinePropertySource("--socketproxy.containerPolicy.refusePrivileged=true",
				"--spring.config.additional-location=file:x.yaml", "--server.anything=1"));
		sources.addLast(new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
				Map.of("socketproxy.allow[GET][0]", "/x", "logging.level.whatever", "debug")));
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("SOCKETPROXY_CONTAINER_POLICY_REFUSE_DEVICES", "true", "SOCKETPROXY_PROFILES_0_NAME", "t",
						"SPRING_MAIN_UNKNOWN", "x")));
		sources.addLast(new MapPropertySource("yaml", Map.of("socketproxy.profiles[0].allow.GET[0]", "/y")));

		assertThatCode(() -> UnknownKeyCheck.check(sources)).doesNotThrowAnyException();
	}

	/** A Kubernetes Service named socketproxy in the pod's namespace. */
	@Test
	void serviceLinkVariablesAreNotConfigurationButTheirLookAlikesAre() {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("SOCKETPROXY_SERVICE_HOST", "10.0.0.11", "SOCKETPROXY_SERVICE_PORT", "55555",
						"SOCKETPROXY_SERVICE_PORT_HTTP", "55555", "SOCKETPROXY_PORT", "tcp://10.0.0.11:55555",
						"SOCKETPROXY_PORT_55555_TCP", "tcp://10.0.0.11:55555", "SOCKETPROXY_PORT_55555_TCP_PROTO", "tcp",
						"SOCKETPROXY_PORT_55555_TCP_PORT", "55555", "SOCKETPROXY_PORT_55555_TCP_ADDR", "10.0.0.11")));

		assertThatCode(() -> UnknownKeyCheck.check(sources)).doesNotThrowAnyException();
		assertThat(UnknownKeyCheck.isServiceLink("SOCKETPROXY_PORTS")).isFalse();
		assertThat(UnknownKeyCheck.isServiceLink("SOCKETPROXY_PORT_X_TCP")).isFalse();
		assertThat(UnknownKeyCheck.isServiceLink("SOCKETPROXY_SERVICEHOST")).isFalse();
	}

	private static void assertLine(InvalidConfigurationException ex, String line) {
		assertThat(StartupFailures.describe(ex, ex.getOrigin()))
			.isEqualTo("invalid configuration: " + line);
	}

}
