package dev.socketproxy.learn;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.AccessLog;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestTarget;

/**
 * Records each request that reached the rules (so the client was allowed and the target
 * is canonical) with its method and decoded path; the query is never recorded. In learn
 * mode the rules only report, so this sees every such request.
 */
class LearnFilter implements GlobalFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(LearnFilter.class);

	private final LearnedTraffic traffic;

	LearnFilter(LearnedTraffic traffic) {
		this.traffic = traffic;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		if (target != null) {
			ServerHttpRequest request = exchange.getRequest();
			String method = request.getMethod().name();
			if (this.traffic.record(client(request), method, target.path())) {
				AccessLog.fields(logger.atDebug(), request).log("learned a new pattern");
			}
		}
		return chain.filter(exchange);
	}

	/** The peer's IP without a zone ID (profiles match addresses, not ports), or {@code unix}. */
	static String client(ServerHttpRequest request) {
		InetSocketAddress remote = request.getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return LearnedRulesYaml.UNIX_CLIENT;
		}
		String host = remote.getAddress().getHostAddress();
		int zone = host.indexOf('%');
		return (zone >= 0) ? host.substring(0, zone) : host;
	}

	@Override
	public int getOrder() {
		return GatewayExchange.LEARN;
	}

}
