package dev.socketproxy.metrics;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientSelectionFilter;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.RuleEnforcement;

/**
 * Counts each request's access decision once it is over. The decision filters record a
 * refusal in the {@link DenialResponse#DENIAL_ATTRIBUTE} exchange attribute (a report-only
 * finding in {@link RuleEnforcement#REPORTED_ATTRIBUTE}); a request without one was allowed. Wraps every other filter, so it also sees the end of a
 * streamed response.
 */
class RequestMetricsFilter implements GlobalFilter, Ordered {

	/** Exchange attribute set while a proxied response is open, see {@link UpstreamMetricsFilter}. */
	static final String STREAM_ATTRIBUTE = RequestMetricsFilter.class.getName() + ".stream";

	private final ProxyMetrics metrics;

	RequestMetricsFilter(ProxyMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return chain.filter(exchange).doFinally((signal) -> {
			Denial denial = exchange.getAttribute(DenialResponse.DENIAL_ATTRIBUTE);
			Denial reported = exchange.getAttribute(RuleEnforcement.REPORTED_ATTRIBUTE);
			this.metrics.decided(exchange.getRequest().getMethod().name(), denial, reported);
			if (exchange.getAttributes().remove(STREAM_ATTRIBUTE) != null) {
				this.metrics.streamClosed();
			}
		});
	}

	@Override
	public int getOrder() {
		return ClientSelectionFilter.ORDER - 1;
	}

}
