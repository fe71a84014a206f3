package dev.socketproxy.reload;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

import dev.socketproxy.access.ActivePolicy;
import dev.socketproxy.config.SocketProxyProperties;

/** Watches the rules file when {@code socketproxy.rules-file} is set. */
@Configuration(proxyBeanMethods = false)
@Conditional(ReloadConfiguration.OnRulesFile.class)
public class ReloadConfiguration {

	@Bean
	public RulesFileWatcher rulesFileWatcher(SocketProxyProperties properties, ActivePolicy policy,
			MeterRegistry registry) {
		return new RulesFileWatcher(properties.rulesFile(), properties.rulesFileCheckInterval(), properties.allowFrom(),
				properties.dockerLabelPrefix(), policy, properties.proxySocketEndpoint() == null, registry);
	}

	static class OnRulesFile implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return StringUtils.hasText(context.getEnvironment().getProperty("socketproxy.rules-file"));
		}

	}

}
