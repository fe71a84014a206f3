package dev.socketproxy.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import reactor.netty.http.HttpResources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.RequestRecorder;
import dev.socketproxy.access.SocketAnswers;

/**
 * The proxy's meters, served by Actuator's Prometheus endpoint on the management server.
 * JVM, process and connection-pool meters come from Spring Boot and Reactor Netty; the
 * Netty buffer and event-loop meters are bound here. The socket check's gauge is bound
 * with the check ({@code HealthConfiguration}): this package is below {@code upstream},
 * which reports to it, and {@code health}, which uses {@code upstream}.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	public ProxyMetrics proxyMetrics(MeterRegistry registry) {
		return new ProxyMetrics(registry);
	}

	@Bean
	public HijackedConnections hijackedConnections(MeterRegistry registry, ProxyMetrics metrics) {
		return new HijackedConnections(registry, metrics);
	}

	/** What both paths record of a forwarded request, into these meters. */
	@Bean
	public RequestRecorder requestRecorder(ProxyMetrics metrics, SocketAnswers answers) {
		return new RequestRecorder(metrics, answers);
	}

	@Bean
	RequestMetricsFilter requestMetricsFilter(RequestRecorder recorder) {
		return new RequestMetricsFilter(recorder);
	}

	@Bean
	UpstreamMetricsFilter upstreamMetricsFilter(RequestRecorder recorder) {
		return new UpstreamMetricsFilter(recorder);
	}

	@Bean
	MeterBinder nettyMetrics() {
		return (registry) -> {
			new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
			new NettyEventExecutorMetrics(HttpResources.get().onServer(true)).bindTo(registry);
		};
	}

}
