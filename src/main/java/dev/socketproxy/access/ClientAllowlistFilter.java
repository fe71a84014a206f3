package dev.socketproxy.access;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * First decision: the TCP peer must be in {@code allow-from}. Only the peer address of the
 * connection counts; headers such as {@code X-Forwarded-For} are never read.
 */
public class ClientAllowlistFilter implements GlobalFilter, Ordered {

	/** Runs before every other decision. */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	private final ClientAllowlist allowlist;

	private final HostnameAddresses hostnameAddresses;

	public ClientAllowlistFilter(ClientAllowlist allowlist, HostnameAddresses hostnameAddresses) {
		this.allowlist = allowlist;
		this.hostnameAddresses = hostnameAddresses;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		if (peer == null || peer.getAddress() == null) {
			return DenialResponse.send(exchange, Denial.FORBIDDEN_IP);
		}
		if (this.allowlist.containsAddress(peer.getAddress())) {
			return chain.filter(exchange);
		}
		if (this.allowlist.hostnames().isEmpty()) {
			return DenialResponse.send(exchange, Denial.FORBIDDEN_IP);
		}
		return this.hostnameAddresses.anyResolvesTo(this.allowlist.hostnames(), peer.getAddress())
			.flatMap((allowed) -> allowed ? chain.filter(exchange) : DenialResponse.send(exchange, Denial.FORBIDDEN_IP));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
