package dev.socketproxy.access;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;

/**
 * Second decision: the method must have rules, and one of them must match the
 * percent-decoded path (without the query string).
 */
public class RequestRulesFilter implements GlobalFilter, Ordered {

	/** Runs right after the client allowlist. */
	public static final int ORDER = ClientAllowlistFilter.ORDER + 100;

	private final MethodRules rules;

	public RequestRulesFilter(MethodRules rules) {
		this.rules = rules;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		String decodedPath;
		try {
			decodedPath = UriUtils.decode(request.getURI().getRawPath(), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return DenialResponse.send(exchange, Denial.INVALID_PATH);
		}
		return switch (this.rules.evaluate(request.getMethod().name(), decodedPath)) {
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
