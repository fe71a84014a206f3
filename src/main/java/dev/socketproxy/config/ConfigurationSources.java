package dev.socketproxy.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;

/**
 * The property sources every start uses beside Spring Boot's own: the reference's flags
 * and {@code SP_*} variables, and a migration preset; and the check that refuses unknown
 * {@code socketproxy.*} keys. Shared by the proxy and {@code --print-config}, so that
 * both see the same configuration.
 */
public final class ConfigurationSources {

	private ConfigurationSources() {
	}

	/** Adds the listeners that install the sources to {@code application} and returns it. */
	public static SpringApplication install(SpringApplication application, LegacyArguments legacy,
			Map<String, String> env) {
		application.addListeners(new LegacyPropertySources(legacy), new UnknownKeyCheck(),
				new PresetPropertySources(env));
		return application;
	}

}
