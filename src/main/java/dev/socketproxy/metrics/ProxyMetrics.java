package dev.socketproxy.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.config.LegacyArguments;
import dev.socketproxy.upstream.UpstreamOutageLog;

/**
 * The proxy's own meters. Every tag value comes from a small fixed set (a method a client
 * invents becomes {@code OTHER}; a reason becomes its {@link RefusalReason} label, never a
 * path or value taken from the request), so a hostile client cannot grow the number of
 * series.
 */
public class ProxyMetrics {

	static final String REQUESTS = "socketproxy.requests";

	static final String UPSTREAM_REQUESTS = "socketproxy.upstream.requests";

	static final String UPSTREAM_ERRORS = "socketproxy.upstream.errors";

	static final String STREAMS_OPEN = "socketproxy.streams.open";

	private static final String ALLOWED = "allowed";

	private static final String DENIED = "denied";

	private static final String REPORTED = "reported";

	private static final String NONE = "none";

	/** The methods rules can name; any other is tagged {@code OTHER}. */
	private static final Set<String> METHODS = Set.copyOf(LegacyArguments.METHODS);

	private static final String OTHER_METHOD = "OTHER";

	private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");

	/**
	 * The upstream histogram's buckets: a socket on the same host answers in about a
	 * millisecond, a container create or an image inspect under load in seconds.
	 */
	static final Duration[] UPSTREAM_BUCKETS = Stream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000)
		.map(Duration::ofMillis)
		.toArray(Duration[]::new);

	private final MeterRegistry registry;

	private final UpstreamOutageLog outage;

	private final AtomicInteger openStreams = new AtomicInteger();

	/**
	 * Every {@link #REQUESTS} series a decision can produce, created at 0 on startup so
	 * that {@code increase()} sees the first refusal of a kind; keyed by
	 * {@link #key(String, String, String)}.
	 */
	private final Map<String, Counter> requests = new ConcurrentHashMap<>();

	/** The allowed-request counters by method, filled in the constructor; read on every request without building a key. */
	private final Map<String, Counter> allowed = new HashMap<>();

	/** The upstream timers, kept rather than looked up by their tags on each request. */
	private final Map<String, Timer> answered = new ConcurrentHashMap<>();

	/**
	 * {@code outage} hears of every answer from the socket, whichever path forwarded the
	 * request: the fast path's answers never reach the gateway's filters.
	 */
	public ProxyMetrics(MeterRegistry registry, UpstreamOutageLog outage) {
		this.registry = registry;
		this.outage = outage;
		Gauge.builder(STREAMS_OPEN, this.openStreams, AtomicInteger::get)
			.description("Proxied responses still being streamed from the socket to a client")
			.register(registry);
		List<String> methods = new ArrayList<>(LegacyArguments.METHODS);
		methods.add(OTHER_METHOD);
		for (String method : methods) {
			this.allowed.put(method, requests(ALLOWED, NONE, method));
			for (RefusalReason reason : RefusalReason.values()) {
				requests(DENIED, reason.label(), method);
				if (reason.rule()) {
					requests(REPORTED, reason.label(), method);
				}
			}
		}
	}

	/**
	 * Counts an access decision: {@code denial} is {@code null} for an allowed request,
	 * {@code reported} the refusal that report-only mode forwarded anyway.
	 */
	public void decided(String method, Denial denial, Denial reported) {
		String tag = method(method);
		if (denial != null) {
			requests(DENIED, denial.kind().label(), tag).increment();
		}
		else if (reported != null) {
			requests(REPORTED, reported.kind().label(), tag).increment();
		}
		else {
			this.allowed.get(tag).increment();
		}
	}

	private Counter requests(String decision, String reason, String method) {
		return this.requests.computeIfAbsent(key(decision, reason, method),
				(key) -> Counter.builder(REQUESTS)
					.description("Requests by access decision")
					.tag("decision", decision)
					.tag("reason", reason)
					.tag("method", method)
					.register(this.registry));
	}

	private static String key(String decision, String reason, String method) {
		return decision + ' ' + reason + ' ' + method;
	}

	/** Records how long the socket took to answer with the response head. */
	public void upstreamAnswered(String method, int status, Duration elapsed) {
		this.outage.answered();
		String tag = method(method);
		this.answered.computeIfAbsent(tag + " " + status, (key) -> upstreamTimer(tag, status))
			.record(elapsed.toNanos(), TimeUnit.NANOSECONDS);
	}

	private Timer upstreamTimer(String method, int status) {
		return Timer.builder(UPSTREAM_REQUESTS)
			.description("Time until the socket answered an allowed request with its response head")
			.tag("method", method)
			.tag("status", Integer.toString(status))
			.serviceLevelObjectives(UPSTREAM_BUCKETS)
			.register(this.registry);
	}

	/** Counts an allowed request that got no answer from the socket (the client gets 502). */
	public void upstreamFailed(String method, Throwable error) {
		Counter.builder(UPSTREAM_ERRORS)
			.description("Allowed requests the socket did not answer")
			.tag("method", method(method))
			.tag("error", snakeCase(error.getClass().getSimpleName()))
			.register(this.registry)
			.increment();
	}

	public void streamOpened() {
		this.openStreams.incrementAndGet();
	}

	public void streamClosed() {
		this.openStreams.decrementAndGet();
	}

	/** {@code PrematureCloseException} becomes {@code premature_close_exception}, Prometheus' label style. */
	static String snakeCase(String name) {
		return CAMEL_HUMP.matcher(name).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
	}

	private static String method(String method) {
		return METHODS.contains(method) ? method : OTHER_METHOD;
	}

}
