package dev.socketproxy.config;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class LabelsPropertiesTest {

	@ParameterizedTest
	@ValueSource(strings = { "PT0S", "PT-1S" })
	void rescanIntervalMustBePositive(String interval) {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new SocketProxyProperties.Labels(Duration.parse(interval)))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.labels.rescan-interval"));
	}

}
