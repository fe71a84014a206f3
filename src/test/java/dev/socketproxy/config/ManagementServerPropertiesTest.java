package dev.socketproxy.config;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The management server exists only with {@code allow-health-check}, and never on the
 * proxy's port.
 */
class ManagementServerPropertiesTest {

	@Test
	void managementServerIsOffWithoutAllowHealthCheck() {
		assertThat(derived(Map.of()).get("management.server.port")).isEqualTo("-1");
		assertThat(derived(Map.of("socketproxy.management.port", "9000")).get("management.server.port")).isEqualTo("-1");
	}

	@Test
	void allowHealthCheckOpensItOnLoopbackPort55555() {
		Map<String, Object> derived = derived(Map.of("socketproxy.allow-health-check", "true"));

		assertThat(derived).containsEntry("management.server.port", "55555")
			.containsEntry("management.server.address", "127.0.0.1")
			.containsEntry("server.port", "2375");
	}

	@Test
	void addressAndPortAreConfigurable() {
		Map<String, Object> derived = derived(Map.of("socketproxy.allow-health-check", "true",
				"socketproxy.management.port", "9100", "socketproxy.management.address", "0.0.0.0"));

		assertThat(derived).containsEntry("management.server.port", "9100")
			.containsEntry("management.server.address", "0.0.0.0");
	}

	@Test
	void valuesThatCannotBeUsedKeepItOff() {
		assertThat(derived(Map.of("socketproxy.allow-health-check", "true", "socketproxy.management.address",
				"metrics.example.com"))
			.get("management.server.port")).isEqualTo("-1");
	}

	@Test
	void proxyPortCannotBeShared() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("socketproxy.allow-health-check", "true", "socketproxy.proxy-port", "55555")))
			.havingRootCause()
			.isInstanceOfSatisfying(InvalidConfigurationException.class,
					(ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.management.port"));
	}

	@Test
	void hostnamesAreRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("socketproxy.management.address", "localhost")))
			.havingRootCause()
			.isInstanceOfSatisfying(InvalidConfigurationException.class,
					(ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.management.address"));
	}

	private static Map<String, Object> derived(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(properties)));
		new DerivedPropertiesPostProcessor().postProcessEnvironment(environment, null);
		return ((MapPropertySource) environment.getPropertySources().get(DerivedPropertiesPostProcessor.SOURCE_NAME))
			.getSource();
	}

	private static SocketProxyProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("socketproxy",
				SocketProxyProperties.class);
	}

}
