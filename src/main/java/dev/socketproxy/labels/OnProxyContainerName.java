package dev.socketproxy.labels;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code socketproxy.proxy-container-name} is set (in any form, including
 * the reference's {@code -proxycontainername} and {@code SP_PROXYCONTAINERNAME}).
 */
public class OnProxyContainerName implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Binder.get(context.getEnvironment())
			.bind("socketproxy.proxy-container-name", String.class)
			.map(StringUtils::hasText)
			.orElse(false);
	}

}
