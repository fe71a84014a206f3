package dev.socketproxy.access;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Refuses request heads that {@link RequestHeadChecks} finds ambiguous, judged on the
 * headers exactly as Netty decoded them.
 */
public class RequestHeadFilter implements GlobalFilter, Ordered {

	/** After the client allowlist, before the request target. */
	public static final int ORDER = ClientSelectionFilter.ORDER + 25;

	private final RequestHeadChecks checks;

	public RequestHeadFilter(RequestHeadChecks checks) {
		this.checks = checks;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		HttpServerRequest request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		return this.checks.check(request.requestHeaders())
			.map((denial) -> DenialResponse.send(exchange, denial))
			.orElseGet(() -> chain.filter(exchange));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
