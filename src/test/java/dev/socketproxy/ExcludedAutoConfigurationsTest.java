package dev.socketproxy;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-configurations are excluded by name, which the compiler cannot check: one renamed
 * or moved by a Spring upgrade would silently come back. Each name must still be a class.
 */
class ExcludedAutoConfigurationsTest {

	@Test
	void everyExcludedAutoConfigurationStillExists() {
		String[] excluded = SocketProxyApplication.class.getAnnotation(SpringBootApplication.class).excludeName();

		assertThat(excluded).isNotEmpty()
			.allSatisfy((name) -> assertThat(Class.forName(name, false, getClass().getClassLoader())).as(name).isNotNull());
	}

}
