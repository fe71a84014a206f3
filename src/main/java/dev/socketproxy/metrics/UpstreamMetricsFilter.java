package dev.socketproxy.metrics;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.upstream.UpgradeTunnelFilter;

/**
 * Times allowed requests from the routing filter's start until the socket's response
 * head arrived (the routing filter completes then; the body follows as a stream), and
 * counts the requests the socket did not answer. Sits inside the 502 handling of
 * {@code SocketUnreachableFilter} so it sees the failure itself.
 */
class UpstreamMetricsFilter implements GlobalFilter, Ordered {

	private final ProxyMetrics metrics;

	UpstreamMetricsFilter(ProxyMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String method = exchange.getRequest().getMethod().name();
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return chain.filter(exchange).doOnSuccess((done) -> {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				this.metrics.upstreamAnswered(method, (status != null) ? status.value() : 0,
						Duration.ofNanos(System.nanoTime() - start));
				if (exchange.getAttributes().putIfAbsent(RequestMetricsFilter.STREAM_ATTRIBUTE, Boolean.TRUE) == null) {
					this.metrics.streamOpened();
				}
			}).doOnError((ex) -> this.metrics.upstreamFailed(method, ex));
		});
	}

	/**
	 * Inside {@code SocketUnreachableFilter} and the upgrade tunnel, outside the routing
	 * filters: a tunnel never reaches this filter, so an exec session lasting minutes is not
	 * timed as one upstream answer (open tunnels have their own gauge).
	 */
	@Override
	public int getOrder() {
		return UpgradeTunnelFilter.ORDER + 1;
	}

}
