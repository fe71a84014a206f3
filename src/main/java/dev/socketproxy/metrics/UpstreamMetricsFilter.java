package dev.socketproxy.metrics;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestRecorder;

/**
 * Times forwarded requests from the routing filter's start until the socket's response
 * head arrived (the routing filter completes then; the body follows as a stream), and
 * counts the requests the socket did not answer. Sits inside the 502 handling of
 * {@code SocketUnreachableFilter} so it sees the failure itself.
 */
class UpstreamMetricsFilter implements GlobalFilter, Ordered {

	private final RequestRecorder recorder;

	UpstreamMetricsFilter(RequestRecorder recorder) {
		this.recorder = recorder;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		String method = exchange.getRequest().getMethod().name();
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return chain.filter(exchange).doOnSuccess((done) -> {
				HttpStatusCode status = exchange.getResponse().getStatusCode();
				if (GatewayExchange.streamOpened(exchange)) {
					this.recorder.answered(method, (status != null) ? status.value() : 0,
							Duration.ofNanos(System.nanoTime() - start));
				}
			}).doOnError((ex) -> this.recorder.failed(method, ex));
		});
	}

	@Override
	public int getOrder() {
		return GatewayExchange.UPSTREAM_METRICS;
	}

}
