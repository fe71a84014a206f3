package dev.socketproxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import reactor.netty.http.HttpResources;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.health.SocketCheck;
import dev.socketproxy.health.SocketStatus;
import dev.socketproxy.upstream.UpstreamOutageLog;

/**
 * The proxy's meters, served by Actuator's Prometheus endpoint on the management server.
 * JVM, process and connection-pool meters come from Spring Boot and Reactor Netty; the
 * Netty buffer and event-loop meters are bound here.
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	static final String SOCKET_UP = "socketproxy.socket.up";

	@Bean
	public ProxyMetrics proxyMetrics(MeterRegistry registry, UpstreamOutageLog outage) {
		return new ProxyMetrics(registry, outage);
	}

	@Bean
	public HijackedConnections hijackedConnections(MeterRegistry registry, ProxyMetrics metrics) {
		return new HijackedConnections(registry, metrics);
	}

	@Bean
	RequestMetricsFilter requestMetricsFilter(ProxyMetrics metrics) {
		return new RequestMetricsFilter(metrics);
	}

	@Bean
	UpstreamMetricsFilter upstreamMetricsFilter(ProxyMetrics metrics) {
		return new UpstreamMetricsFilter(metrics);
	}

	/** 1 or 0 from the latest socket check (health endpoint or watchdog); no value before the first. */
	@Bean
	MeterBinder socketUpGauge(SocketCheck check) {
		return (registry) -> Gauge.builder(SOCKET_UP, check, (c) -> socketUp(c.latest()))
			.description("Whether the socket answered its latest check")
			.register(registry);
	}

	@Bean
	MeterBinder nettyMetrics() {
		return (registry) -> {
			new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
			new NettyEventExecutorMetrics(HttpResources.get().onServer(true)).bindTo(registry);
		};
	}

	private static double socketUp(SocketStatus status) {
		if (status == null) {
			return Double.NaN;
		}
		return status.up() ? 1 : 0;
	}

}
