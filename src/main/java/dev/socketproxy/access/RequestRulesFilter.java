package dev.socketproxy.access;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Second decision: the method must have rules, and one of them must match the canonical
 * percent-decoded path (without the query string) that {@link RequestTargetFilter}
 * established.
 */
public class RequestRulesFilter implements GlobalFilter, Ordered {

	/** Runs once the client is allowed and the target is canonical. */
	public static final int ORDER = ClientAllowlistFilter.ORDER + 100;

	private final MethodRules rules;

	public RequestRulesFilter(MethodRules rules) {
		this.rules = rules;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		RequestTarget target = exchange.getAttribute(RequestTarget.ATTRIBUTE);
		if (target == null) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "non-canonical path: not checked"));
		}
		return switch (this.rules.evaluate(request.getMethod().name(), target.path())) {
			case ALLOWED -> {
				AccessLog.allowed(request);
				yield chain.filter(exchange);
			}
			case METHOD_NOT_ALLOWED -> DenialResponse.send(exchange, Denial.METHOD_NOT_ALLOWED);
			case PATH_NOT_ALLOWED -> DenialResponse.send(exchange, Denial.PATH_NOT_ALLOWED);
		};
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
