package dev.socketproxy.access;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a refusal by the rules (method, path, bind mounts, container policy) does: send
 * the refusal, or in report-only mode log and count it and forward the request anyway.
 * The checks that protect the proxy itself (client allowlist, canonical target, header
 * and size limits, unreadable bodies) always refuse and never go through here.
 */
public final class RuleEnforcement {

	private final boolean reportOnly;

	public RuleEnforcement(boolean reportOnly) {
		this.reportOnly = reportOnly;
	}

	public Mono<Void> refuse(ServerWebExchange exchange, GatewayFilterChain chain, Denial denial) {
		if (!this.reportOnly) {
			return DenialResponse.send(exchange, denial);
		}
		return report(exchange, chain, denial);
	}

	/** Forwards a refusal report-only mode does not enforce, after its log line; the metrics count it. */
	public static Mono<Void> report(ServerWebExchange exchange, GatewayFilterChain chain, Denial denial) {
		AccessLog.reported(exchange, denial);
		GatewayExchange.putReported(exchange, denial);
		return chain.filter(exchange);
	}

	public boolean reportOnly() {
		return this.reportOnly;
	}

}
