package dev.socketproxy.health;

import java.nio.file.Path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;

/**
 * The socket check and its health component. The management server that serves it is
 * Spring Boot Actuator's, configured in {@code application.yaml} and switched on by
 * {@code allow-health-check}.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

	@Bean
	public SocketCheck socketCheck(SocketProxyProperties properties) {
		return new SocketCheck(Path.of(properties.socketPath()));
	}

	@Bean
	public SocketHealthIndicator socketHealthIndicator(SocketCheck socketCheck) {
		return new SocketHealthIndicator(socketCheck);
	}

}
