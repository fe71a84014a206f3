package dev.socketproxy.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Derives Spring Boot's own settings (log levels, JSON logging, graceful shutdown) from
 * our {@code socketproxy.*} keys. It has to run before logging starts, which is earlier
 * than any bean can, and after the config files are read, so it is an environment post
 * processor ordered last.
 */
public class DerivedPropertiesPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE_NAME = "socketProxyDerived";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		String level = binder.bind("socketproxy.log-level", String.class).orElse("INFO").toUpperCase(Locale.ROOT);
		if (!SocketProxyProperties.LOG_LEVELS.contains(level)) {
			throw new InvalidConfigurationException("socketproxy.log-level", level,
					"must be one of DEBUG, INFO, WARN, ERROR");
		}
		boolean json = binder.bind("socketproxy.log-json", Boolean.class).orElse(false);
		Duration grace = binder.bind("socketproxy.shutdown-grace-time", Duration.class).orElse(Duration.ofSeconds(10));

		Map<String, Object> derived = new LinkedHashMap<>();
		derived.put("logging.level.root", level.equals("DEBUG") ? "INFO" : level);
		derived.put("logging.level.dev.socketproxy", level);
		if (json) {
			derived.put("logging.structured.format.console", "ecs");
		}
		derived.put("server.shutdown", "graceful");
		derived.put("spring.lifecycle.timeout-per-shutdown-phase", grace.toMillis() + "ms");
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, derived));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
