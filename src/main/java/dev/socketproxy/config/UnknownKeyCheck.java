package dev.socketproxy.config;

import java.util.regex.Pattern;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.PropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Stops the start at a {@code socketproxy.*} key that names no setting, from any source
 * (arguments, YAML files, environment variables, system properties), with the nearest
 * valid key. Spring Boot would bind around it, so a misspelt
 * {@code refuse-privileged} would start a proxy without that protection. Other keys
 * ({@code spring.*}, {@code server.*}, ...) stay Spring Boot's.
 */
public class UnknownKeyCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	private static final Pattern SERVICE_LINK = Pattern
		.compile("SOCKETPROXY_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?)");

	private static final KnownKeys KEYS = KnownKeys.of(SocketProxyProperties.class, PresetTranslation.PRESET_KEY);

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		check(event.getEnvironment().getPropertySources());
	}

	/**
	 * @throws InvalidConfigurationException naming the first unknown key, in precedence
	 * order, and where it was set
	 */
	static void check(PropertySources sources) {
		for (PropertySource<?> source : sources) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)
					|| ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
				continue;
			}
			KnownKeys.Spelling spelling = isEnvironment(source) ? KnownKeys.Spelling.ENVIRONMENT_VARIABLE
					: KnownKeys.Spelling.PROPERTY;
			for (String key : enumerable.getPropertyNames()) {
				if (KEYS.isUnknown(key, spelling) && !(isEnvironment(source) && isServiceLink(key))) {
					throw new InvalidConfigurationException(key, source.getProperty(key), originOf(source, key),
							"unknown key; the nearest valid key is " + KEYS.nearest(key, spelling));
				}
			}
		}
	}

	/**
	 * What Kubernetes puts into every pod of a namespace with a Service named
	 * {@code socketproxy} (and Docker's legacy links, for a container of that name): not
	 * configuration, and no key of ours has these names.
	 */
	static boolean isServiceLink(String variable) {
		return SERVICE_LINK.matcher(variable).matches();
	}

	/** Spring Boot reads names the variable way only from the process environment. */
	private static boolean isEnvironment(PropertySource<?> source) {
		return source instanceof SystemEnvironmentPropertySource
				&& StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(source.getName());
	}

	private static String originOf(PropertySource<?> source, String key) {
		return switch (source.getName()) {
			case CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME -> "command-line argument";
			case StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME -> "environment variable";
			case StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME -> "system property";
			default -> {
				Origin origin = (source instanceof OriginLookup<?>) ? lookUp(source, key) : null;
				yield (origin != null) ? origin.toString() : "property source " + source.getName();
			}
		};
	}

	@SuppressWarnings("unchecked")
	private static Origin lookUp(PropertySource<?> source, String key) {
		return ((OriginLookup<String>) source).getOrigin(key);
	}

	/** After the config files are read, before the preset adds its rules. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

}
