package dev.socketproxy.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the upgrade tunnel reports: the engine's answer to an upgrade request, timed in
 * the same {@code socketproxy.upstream.requests} histogram as every other answer (a
 * {@code 101} with {@code status="101"}; the session after it is not timed), and the
 * {@code socketproxy.hijacked.connections.open} gauge: connections that left HTTP after a
 * {@code 101} ({@code docker attach}, {@code exec}, {@code run}) and now carry raw bytes
 * both ways. The tunnel calls {@link #opened()} once the splice is in place and
 * {@link #closed()} exactly once when both sides are gone.
 */
public class HijackedConnections {

	static final String OPEN = "socketproxy.hijacked.connections.open";

	private final AtomicInteger open = new AtomicInteger();

	private final ProxyMetrics metrics;

	public HijackedConnections(MeterRegistry registry, ProxyMetrics metrics) {
		this.metrics = metrics;
		Gauge.builder(OPEN, this.open, AtomicInteger::get)
			.description("Hijacked (upgraded) connections currently open")
			.register(registry);
	}

	/** The engine answered an upgrade request with {@code status} after {@code elapsed}. */
	public void answered(String method, int status, Duration elapsed) {
		this.metrics.upstreamAnswered(method, status, elapsed);
	}

	/** The engine did not answer an upgrade request (the client gets 502). */
	public void failed(String method, Throwable error) {
		this.metrics.upstreamFailed(method, error);
	}

	public void opened() {
		this.open.incrementAndGet();
	}

	public void closed() {
		this.open.decrementAndGet();
	}

}
