package dev.socketproxy.config;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Puts the reference proxy's flags and {@code SP_*} variables into the environment with
 * the reference's precedence: flags win over {@code SP_*} variables, and both win over
 * our own environment variables and YAML files. Runs before the config files are read so
 * that logging and every later step see the final values.
 */
public class LegacyPropertySources implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	static final String FLAGS = "socketProxyLegacyFlags";

	static final String ENVIRONMENT = "socketProxyLegacyEnvironment";

	private final LegacyArguments legacy;

	public LegacyPropertySources(LegacyArguments legacy) {
		this.legacy = legacy;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		MutablePropertySources sources = event.getEnvironment().getPropertySources();
		OriginTrackedMapPropertySource flags = new OriginTrackedMapPropertySource(FLAGS, this.legacy.flagProperties(),
				true);
		if (sources.contains(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME)) {
			sources.addAfter(CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME, flags);
		}
		else {
			sources.addFirst(flags);
		}
		sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				new OriginTrackedMapPropertySource(ENVIRONMENT, this.legacy.environmentProperties(), true));
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
