package dev.socketproxy.access;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Second decision: the method must have rules in the client's {@link ClientRules}, and
 * one of them must match the canonical percent-decoded path (without the query string)
 * that {@link RequestTargetFilter} established.
 */
public class RequestRulesFilter implements GlobalFilter, Ordered {

	/** Runs once the client is allowed and the target is canonical. */
	public static final int ORDER = ClientSelectionFilter.ORDER + 100;

	private final RuleEnforcement enforcement;

	public RequestRulesFilter(RuleEnforcement enforcement) {
		this.enforcement = enforcement;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		RequestTarget target = exchange.getAttribute(RequestTarget.ATTRIBUTE);
		ClientRules client = exchange.getAttribute(ClientRules.ATTRIBUTE);
		if (target == null || client == null) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "request not checked"));
		}
		return switch (client.rules().evaluate(request.getMethod().name(), target.path())) {
			case ALLOWED -> {
				AccessLog.allowed(exchange);
				yield chain.filter(exchange);
			}
			case METHOD_NOT_ALLOWED -> this.enforcement.refuse(exchange, chain, Denial.METHOD_NOT_ALLOWED);
			case PATH_NOT_ALLOWED -> this.enforcement.refuse(exchange, chain, Denial.PATH_NOT_ALLOWED);
		};
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
