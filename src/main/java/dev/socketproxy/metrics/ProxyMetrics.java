package dev.socketproxy.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.socketproxy.access.Denial;
import dev.socketproxy.config.LegacyArguments;

/**
 * The proxy's own meters. Every tag value comes from a small fixed set (a method a client
 * invents becomes {@code OTHER}; a reason keeps only its category, the part before a
 * colon, never a path or value taken from the request), so a hostile client cannot grow
 * the number of series.
 */
public class ProxyMetrics {

	static final String REQUESTS = "socketproxy.requests";

	static final String UPSTREAM_REQUESTS = "socketproxy.upstream.requests";

	static final String UPSTREAM_ERRORS = "socketproxy.upstream.errors";

	static final String STREAMS_OPEN = "socketproxy.streams.open";

	private static final Set<String> METHODS = Set.copyOf(LegacyArguments.METHODS);

	private final MeterRegistry registry;

	private final AtomicInteger openStreams = new AtomicInteger();

	/**
	 * The meters every allowed request touches, kept rather than looked up by their tags
	 * on each request; both keys come from bounded sets (methods, status codes).
	 */
	private final Map<String, Counter> allowed = new ConcurrentHashMap<>();

	private final Map<String, Timer> answered = new ConcurrentHashMap<>();

	public ProxyMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder(STREAMS_OPEN, this.openStreams, AtomicInteger::get)
			.description("Proxied responses still being streamed from the socket to a client")
			.register(registry);
	}

	/**
	 * Counts an access decision: {@code denial} is {@code null} for an allowed request,
	 * {@code reported} the refusal that report-only mode forwarded anyway.
	 */
	public void decided(String method, Denial denial, Denial reported) {
		if (denial == null && reported == null) {
			this.allowed.computeIfAbsent(method(method), (tag) -> requests(tag, null, null)).increment();
			return;
		}
		requests(method(method), denial, reported).increment();
	}

	private Counter requests(String method, Denial denial, Denial reported) {
		Denial refusal = (denial != null) ? denial : reported;
		return Counter.builder(REQUESTS)
			.description("Requests by access decision")
			.tag("decision", (denial != null) ? "denied" : (reported != null) ? "reported" : "allowed")
			.tag("reason", (refusal != null) ? category(refusal.reason()) : "none")
			.tag("method", method)
			.register(this.registry);
	}

	/** Records how long the socket took to answer with the response head. */
	public void upstreamAnswered(String method, int status, Duration elapsed) {
		String tag = method(method);
		this.answered.computeIfAbsent(tag + " " + status, (key) -> upstreamTimer(tag, status))
			.record(elapsed.toNanos(), TimeUnit.NANOSECONDS);
	}

	private Timer upstreamTimer(String method, int status) {
		return Timer.builder(UPSTREAM_REQUESTS)
			.description("Time until the socket answered an allowed request with its response head")
			.tag("method", method)
			.tag("status", Integer.toString(status))
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(30))
			.register(this.registry);
	}

	/** Counts an allowed request that got no answer from the socket (the client gets 502). */
	public void upstreamFailed(String method, Throwable error) {
		Counter.builder(UPSTREAM_ERRORS)
			.description("Allowed requests the socket did not answer")
			.tag("method", method(method))
			.tag("error", error.getClass().getSimpleName())
			.register(this.registry)
			.increment();
	}

	public void streamOpened() {
		this.openStreams.incrementAndGet();
	}

	public void streamClosed() {
		this.openStreams.decrementAndGet();
	}

	/** {@code bind mount restriction: /etc is outside /srv} becomes {@code bind mount restriction}. */
	private static String category(String reason) {
		int colon = reason.indexOf(':');
		return (colon >= 0) ? reason.substring(0, colon).trim() : reason;
	}

	private static String method(String method) {
		return METHODS.contains(method) ? method : "OTHER";
	}

}
