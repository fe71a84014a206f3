package dev.socketproxy.health;

import java.nio.file.Path;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;

/**
 * The socket check, its health component and its gauge. The management server that
 * serves them is Spring Boot Actuator's, configured in {@code application.yaml} and
 * switched on by {@code allow-health-check}.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

	static final String SOCKET_UP = "socketproxy.socket.up";

	@Bean
	public SocketCheck socketCheck(SocketProxyProperties properties) {
		return new SocketCheck(Path.of(properties.socketPath()));
	}

	@Bean
	public SocketHealthIndicator socketHealthIndicator(SocketCheck socketCheck) {
		return new SocketHealthIndicator(socketCheck);
	}

	/** 1 or 0 from the latest socket check (health endpoint or watchdog); no value before the first. */
	@Bean
	MeterBinder socketUpGauge(SocketCheck check) {
		return (registry) -> Gauge.builder(SOCKET_UP, check, (c) -> socketUp(c.latest()))
			.description("Whether the socket answered its latest check")
			.register(registry);
	}

	private static double socketUp(SocketStatus status) {
		if (status == null) {
			return Double.NaN;
		}
		return status.up() ? 1 : 0;
	}

}
