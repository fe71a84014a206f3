package dev.socketproxy.metrics;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestRecorder;

/**
 * Counts each request's access decision once it is over. The decision filters record a
 * refusal in the exchange ({@link GatewayExchange#denial}, a report-only finding in
 * {@link GatewayExchange#reported}); a request without one was allowed. Wraps every
 * other filter, so it also sees the end of a streamed response.
 */
class RequestMetricsFilter implements GlobalFilter, Ordered {

	private final RequestRecorder recorder;

	RequestMetricsFilter(RequestRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return chain.filter(exchange)
			.doFinally((signal) -> this.recorder.ended(exchange.getRequest().getMethod().name(),
					GatewayExchange.denial(exchange), GatewayExchange.reported(exchange),
					GatewayExchange.streamEnded(exchange)));
	}

	@Override
	public int getOrder() {
		return GatewayExchange.REQUEST_METRICS;
	}

}
