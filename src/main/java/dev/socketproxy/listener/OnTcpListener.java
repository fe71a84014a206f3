package dev.socketproxy.listener;

import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the proxy listens on TCP, i.e. no {@code proxy-socket-endpoint} is set.
 * Decisions about the client's IP address only exist there.
 */
public class OnTcpListener extends OnUnixSocketListener {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return !super.matches(context, metadata);
	}

}
