package dev.socketproxy.access;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * First decision: which rules judge this client, if it may connect at all. Only the TCP
 * peer address counts; headers such as {@code X-Forwarded-For} are never read. On the
 * Unix-socket listener there is no peer address: the socket file's mode decides who
 * connects, and every client gets the default rules.
 */
public class ClientSelectionFilter implements GlobalFilter, Ordered {

	/** Runs before every other decision. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final ClientSelector selector;

	private final ActivePolicy policy;

	private final boolean unixListener;

	public ClientSelectionFilter(ClientSelector selector, ActivePolicy policy, boolean unixListener) {
		this.selector = selector;
		this.policy = policy;
		this.unixListener = unixListener;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (this.unixListener) {
			return judgedBy(exchange, chain, this.policy.current().defaults());
		}
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		if (peer == null || peer.getAddress() == null) {
			return DenialResponse.send(exchange, Denial.FORBIDDEN_IP);
		}
		return this.selector.select(peer.getAddress())
			.flatMap((rules) -> rules.isPresent() ? judgedBy(exchange, chain, rules.get())
					: DenialResponse.send(exchange, Denial.FORBIDDEN_IP));
	}

	private static Mono<Void> judgedBy(ServerWebExchange exchange, GatewayFilterChain chain, ClientRules rules) {
		exchange.getAttributes().put(ClientRules.ATTRIBUTE, rules);
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
