package dev.socketproxy.listener;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code socketproxy.proxy-socket-endpoint} is set (in any form Spring
 * binds, or through the reference flag and {@code SP_} variable): the proxy then listens
 * on that Unix socket and not on TCP.
 */
public class OnUnixSocketListener implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Binder.get(context.getEnvironment())
			.bind("socketproxy.proxy-socket-endpoint", String.class)
			.map(StringUtils::hasText)
			.orElse(false);
	}

}
