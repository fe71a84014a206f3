package dev.socketproxy.config;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Validation of the limits, the bind-mount directories and the container policy. */
class SecurityPropertiesTest {

	private static final DataSize KB = DataSize.ofKilobytes(1);

	@Test
	void limitsMustBePositive() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Limits(DataSize.ofBytes(0), KB, 1, Duration.ofSeconds(1),
					Duration.ofSeconds(1), KB))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.limits.max-request-line"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Limits(KB, KB, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), KB))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.limits.max-header-count"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Limits(KB, KB, 1, Duration.ZERO, Duration.ofSeconds(1), KB))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.limits.header-timeout"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Limits(KB, KB, 1, Duration.ofSeconds(1), Duration.ofSeconds(-1), KB))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.limits.body-read-timeout"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Limits(KB, KB, 1, Duration.ofSeconds(1), Duration.ofSeconds(1),
					DataSize.ofGigabytes(3)))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.limits.max-inspected-body"));
	}

	@Test
	void containerPolicyIsOffUnlessASwitchIsOn() {
		assertThat(new SocketProxyProperties.ContainerPolicy(false, false, false, false, List.of("NET_ADMIN"), false, false)
			.enabled()).isFalse();
		assertThat(new SocketProxyProperties.ContainerPolicy(false, false, false, false, null, true, false).enabled()).isTrue();
	}

}
