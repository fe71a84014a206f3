package dev.socketproxy.metrics;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The {@code socketproxy.hijacked.connections.open} gauge: connections that left HTTP
 * after a {@code 101} ({@code docker attach}, {@code exec}, {@code run}) and now carry raw
 * bytes both ways. The tunnel calls {@link #opened()} once the splice is in place and
 * {@link #closed()} exactly once when both sides are gone.
 */
public class HijackedConnections {

	static final String OPEN = "socketproxy.hijacked.connections.open";

	private final AtomicInteger open = new AtomicInteger();

	public HijackedConnections(MeterRegistry registry) {
		Gauge.builder(OPEN, this.open, AtomicInteger::get)
			.description("Hijacked (upgraded) connections currently open")
			.register(registry);
	}

	public void opened() {
		this.open.incrementAndGet();
	}

	public void closed() {
		this.open.decrementAndGet();
	}

}
