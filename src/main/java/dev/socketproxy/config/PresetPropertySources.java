package dev.socketproxy.config;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Adds the rules of a migration preset ({@code socketproxy.preset}, from any source) as
 * the lowest-precedence property source: every other source that sets rules for a method
 * replaces the preset's rules for that method. Runs after the config files are read, so
 * the preset can be chosen in YAML too, and logs the translation as YAML to paste.
 */
public class PresetPropertySources implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String SOURCE_NAME = "socketProxyPreset";

	private static final String RULES_FILE_KEY = "socketproxy.rules-file";

	private static final Logger logger = LoggerFactory.getLogger(PresetPropertySources.class);

	private final Map<String, String> env;

	/** @param env the environment variables holding the peer's switches */
	public PresetPropertySources(Map<String, String> env) {
		this.env = env;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		String preset = environment.getProperty(PresetTranslation.PRESET_KEY);
		if (preset == null || preset.isBlank()) {
			return;
		}
		String rulesFile = environment.getProperty(RULES_FILE_KEY);
		if (rulesFile != null && !rulesFile.isBlank()) {
			throw new InvalidConfigurationException(PresetTranslation.PRESET_KEY, preset,
					"cannot be combined with " + RULES_FILE_KEY + " " + rulesFile + ", which holds all rules");
		}
		PresetTranslation translation = PresetTranslation.translate(preset, this.env);
		environment.getPropertySources()
			.addLast(new OriginTrackedMapPropertySource(SOURCE_NAME, translation.properties(), true));
		logger.atInfo()
			.addKeyValue("preset", translation.preset())
			.log("preset rules (other sources replace them per method); as YAML:\n{}",
					ConfigurationYaml.document("socketproxy", Map.of("allow", translation.allow())).stripTrailing());
	}

	/** After the config files are read ({@code EnvironmentPostProcessorApplicationListener}). */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
