package dev.socketproxy.config;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Turns a failed start into one line: a bad configuration value with its key, value and
 * origin, or a failure that carries its own exit code (such as the socket missing). Ordered first so that Spring Boot's multi-line analysis of the same
 * binding failure never shows.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupFailureAnalyzer implements FailureAnalyzer {

	private final Environment environment;

	public StartupFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		InvalidConfigurationException invalid = find(failure, InvalidConfigurationException.class);
		if (invalid != null) {
			String origin = (invalid.getOrigin() != null) ? invalid.getOrigin() : originOf(invalid.getKey());
			return new FailureAnalysis(StartupFailures.describe(invalid, origin), null, invalid);
		}
		BindException bind = find(failure, BindException.class);
		if (bind != null && bind.getProperty() != null) {
			ConfigurationProperty property = bind.getProperty();
			Throwable cause = rootCause(bind);
			String reason = "cannot be read as " + bind.getTarget().getType().resolve(Object.class).getSimpleName()
					+ ((cause.getMessage() != null) ? " (" + cause.getMessage() + ")" : "");
			InvalidConfigurationException line = new InvalidConfigurationException(property.getName().toString(),
					property.getValue(), reason);
			return new FailureAnalysis(StartupFailures.describe(line,
					(property.getOrigin() != null) ? property.getOrigin().toString() : null), null, bind);
		}
		ExitCodeGenerator withExitCode = find(failure, ExitCodeGenerator.class);
		if (withExitCode instanceof Throwable known) {
			return new FailureAnalysis(known.getMessage(), null, known);
		}
		return null;
	}

	private String originOf(String key) {
		if (!(this.environment instanceof ConfigurableEnvironment configurable)
				|| !ConfigurationPropertyName.isValid(key)) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
			ConfigurationProperty property = source.getConfigurationProperty(name);
			if (property != null) {
				return (property.getOrigin() != null) ? property.getOrigin().toString() : null;
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static <T> T find(Throwable failure, Class<T> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return (T) candidate;
			}
		}
		return null;
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
