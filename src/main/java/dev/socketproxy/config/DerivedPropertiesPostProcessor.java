package dev.socketproxy.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives Spring Boot's own settings (log levels, JSON logging, graceful shutdown) from
 * our {@code socketproxy.*} keys. It has to run before logging starts, which is earlier
 * than any bean can, and after the config files are read, so it is an environment post
 * processor ordered last. It never fails: values it cannot use are left for
 * {@link SocketProxyProperties} to reject once logging is up, so the rejection is one line.
 */
public class DerivedPropertiesPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE_NAME = "socketProxyDerived";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> derived = new LinkedHashMap<>();
		String level = environment.getProperty("socketproxy.log-level", "INFO").toUpperCase(Locale.ROOT);
		if (SocketProxyProperties.LOG_LEVELS.contains(level)) {
			derived.put("logging.level.root", level.equals("DEBUG") ? "INFO" : level);
			derived.put("logging.level.dev.socketproxy", level);
		}
		if ("true".equalsIgnoreCase(environment.getProperty("socketproxy.log-json"))) {
			derived.put("logging.structured.format.console", "ecs");
		}
		derived.put("server.shutdown", "graceful");
		derived.put("spring.lifecycle.timeout-per-shutdown-phase",
				environment.getProperty("socketproxy.shutdown-grace-time", "10s"));
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, derived));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
