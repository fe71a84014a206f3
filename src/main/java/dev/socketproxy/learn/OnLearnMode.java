package dev.socketproxy.learn;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code socketproxy.learn.enabled} binds to {@code true}, converted exactly
 * as the properties convert it ({@code on}, {@code yes}, {@code 1} included). A plain
 * property condition compares the text with {@code true}, so {@code on} would forward
 * everything without learning anything.
 */
class OnLearnMode implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		try {
			return Binder.get(context.getEnvironment()).bind("socketproxy.learn.enabled", Boolean.class).orElse(false);
		}
		catch (BindException ex) {
			// The properties fail on the same value with a line naming it.
			return false;
		}
	}

}
