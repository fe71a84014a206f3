package dev.socketproxy.redact;

import java.util.Optional;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RedactedEndpoint;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.RewrittenResponse;

/**
 * {@code redact-env}: for clients whose rules ask for it, the successful {@code GET}
 * answers of the {@link RedactedEndpoint}s are read whole, up to {@value #MAX_ANSWER}
 * bytes, and passed on with every environment value (and config data) removed
 * ({@link EnvRedaction}) and their new {@code Content-Length}. An answer that cannot be
 * redacted (longer than the bound, encoded, not JSON, malformed) is replaced by 502, never
 * passed on. {@code HEAD} requests and error answers carry no document and pass.
 * <p>
 * The reading and the 502 are {@link RewrittenResponse}'s.
 */
public class RedactEnvFilter implements GlobalFilter, Ordered {

	/** Larger than any inspect answer or list of a real engine. */
	static final int MAX_ANSWER = 4 * 1024 * 1024;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || exchange.getRequest().getMethod() != HttpMethod.GET) {
			return chain.filter(exchange);
		}
		Optional<RedactedEndpoint> endpoint = client.redacted(target.path());
		if (endpoint.isEmpty()) {
			return chain.filter(exchange);
		}
		boolean removeSpecData = endpoint.get().removesSpecData();
		RewrittenResponse response = new RewrittenResponse(exchange, MAX_ANSWER, "response not redacted",
				(answer) -> EnvRedaction.redact(answer, removeSpecData));
		return chain.filter(exchange.mutate().response(response).build());
	}

	@Override
	public int getOrder() {
		return GatewayExchange.REDACT_ENV;
	}

}
