package dev.socketproxy.labels;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.DynamicClientRules;
import dev.socketproxy.config.IpLiterals;
import dev.socketproxy.labels.LabelScan.InvalidContainer;
import dev.socketproxy.labels.LabelScan.LabelledContainer;
import dev.socketproxy.labels.LabelScan.Result;

/**
 * The labelled containers the proxy currently knows, as an immutable snapshot replaced
 * whole after each scan, so a request never sees half an update. Scans run one at a
 * time; rescans asked for while one runs collapse into one more, however many events or
 * callers asked. A caller whose address is unknown but lies in one of the proxy
 * container's subnets may trigger a rescan, at most one per {@code rescanInterval}.
 * Until the first scan, and while the proxy container is not running, labels grant nothing.
 */
public class LabelledContainers implements DynamicClientRules, AutoCloseable {

	static final String RESCANS = "socketproxy.label.rescans";

	private static final Logger logger = LoggerFactory.getLogger(LabelledContainers.class);

	private final LabelScan scan;

	private final String proxyContainerName;

	private final RescanLimiter limiter;

	private final Duration scanTimeout;

	private final MeterRegistry registry;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.INITIAL);

	private final Sinks.Many<Trigger> triggers = Sinks.many().unicast().onBackpressureBuffer();

	private final Sinks.Many<Snapshot> published = Sinks.many().replay().latest();

	private long lastTrigger;

	private long lastUnknownClientTrigger;

	private Disposable scans;

	LabelledContainers(LabelScan scan, String proxyContainerName, RescanLimiter limiter, Duration scanTimeout,
			MeterRegistry registry) {
		this.scan = scan;
		this.proxyContainerName = proxyContainerName;
		this.limiter = limiter;
		this.scanTimeout = scanTimeout;
		this.registry = registry;
		this.published.tryEmitNext(Snapshot.INITIAL);
	}

	/** Starts serving scan requests; the first scan comes with the first {@link #rescan}. */
	public void start() {
		this.scans = this.triggers.asFlux().onBackpressureLatest().concatMap(this::scan, 0).subscribe();
	}

	@Override
	public void close() {
		if (this.scans != null) {
			this.scans.dispose();
		}
	}

	/** Asks for a rescan, for example after an engine event; returns at once. */
	public void rescan(String trigger) {
		trigger(trigger);
	}

	@Override
	public Mono<Optional<ClientRules>> find(InetAddress peer) {
		InetAddress address = IpLiterals.canonical(peer);
		Snapshot current = this.snapshot.get();
		ClientRules known = current.byAddress().get(address);
		if (known != null) {
			return Mono.just(Optional.of(known));
		}
		if (!current.result().mayHold(address)) {
			return Mono.just(Optional.empty());
		}
		long awaited;
		synchronized (this) {
			if (this.limiter.tryAcquire()) {
				this.lastUnknownClientTrigger = trigger("unknown_client");
			}
			awaited = this.lastUnknownClientTrigger;
		}
		if (awaited <= current.covered()) {
			return Mono.just(Optional.empty());
		}
		// A rescan for an unknown caller is running or queued: wait for it rather than refuse.
		return this.published.asFlux()
			.filter((s) -> s.covered() >= awaited)
			.next()
			.timeout(this.scanTimeout.plusSeconds(1))
			.map((s) -> Optional.ofNullable(s.byAddress().get(address)))
			.onErrorResume((ex) -> Mono.just(Optional.empty()));
	}

	private synchronized long trigger(String reason) {
		long sequence = ++this.lastTrigger;
		this.triggers.tryEmitNext(new Trigger(sequence, reason));
		return sequence;
	}

	private Mono<Snapshot> scan(Trigger trigger) {
		Counter.builder(RESCANS)
			.description("Scans of the engine for labelled containers, by what asked for them")
			.tag("trigger", trigger.reason())
			.register(this.registry)
			.increment();
		return this.scan.run()
			.timeout(this.scanTimeout)
			.map((result) -> publish(new Snapshot(trigger.sequence(), result, result.byAddress()), true))
			.onErrorResume((ex) -> {
				logger.atWarn()
					.addKeyValue("trigger", trigger.reason())
					.addKeyValue("error", Objects.toString(ex.getMessage(), ex.getClass().getSimpleName()))
					.log("label scan failed: keeping the labelled containers of the last scan");
				Snapshot previous = this.snapshot.get();
				return Mono.just(publish(new Snapshot(trigger.sequence(), previous.result(), previous.byAddress()), false));
			});
	}

	/** Makes {@code next} the state requests are judged by; {@code changed} if it comes from a scan that worked. */
	private Snapshot publish(Snapshot next, boolean changed) {
		Snapshot previous = this.snapshot.getAndSet(next);
		if (changed) {
			report(previous, next);
		}
		this.published.tryEmitNext(next);
		return next;
	}

	private void report(Snapshot previous, Snapshot next) {
		Result before = previous.result();
		Result after = next.result();
		if (previous == Snapshot.INITIAL || before.proxyContainerFound() != after.proxyContainerFound()) {
			if (after.proxyContainerFound()) {
				logger.atInfo()
					.addKeyValue("proxyContainer", this.proxyContainerName)
					.addKeyValue("subnets", after.subnets())
					.log("proxy container found: containers on its networks get the rules of their labels");
			}
			else {
				logger.atWarn()
					.addKeyValue("proxyContainer", this.proxyContainerName)
					.log("proxy container not running: labels grant nothing until it runs (watching engine events)");
			}
		}
		after.containers().forEach((id, container) -> {
			LabelledContainer old = before.containers().get(id);
			if (old == null || !describe(old).equals(describe(container))) {
				table(logger.atInfo(), container).log((old == null) ? "labelled container added" : "labelled container changed");
			}
		});
		before.containers().forEach((id, container) -> {
			if (!after.containers().containsKey(id)) {
				table(logger.atInfo(), container).log("labelled container removed");
			}
		});
		after.invalid().forEach((id, invalid) -> {
			if (!invalid.equals(before.invalid().get(id))) {
				warnInvalid(invalid);
			}
		});
	}

	private static LoggingEventBuilder table(LoggingEventBuilder event, LabelledContainer container) {
		ClientRules rules = container.rules();
		return event.addKeyValue("container", rules.name())
			.addKeyValue("ips", container.addresses().stream().map(InetAddress::getHostAddress).toList())
			.addKeyValue("rules", rules.rules().table())
			.addKeyValue("bindMountFrom", String.valueOf(rules.bindMounts()));
	}

	private static void warnInvalid(InvalidContainer invalid) {
		logger.atWarn()
			.addKeyValue("container", invalid.name())
			.addKeyValue("label", invalid.label())
			.addKeyValue("value", invalid.value())
			.addKeyValue("reason", invalid.reason())
			.log("invalid allow label: this container gets no rules until its labels are fixed");
	}

	private static List<Object> describe(LabelledContainer container) {
		ClientRules rules = container.rules();
		return List.of(rules.name(), container.addresses(), rules.rules().table(), String.valueOf(rules.bindMounts()));
	}

	private record Trigger(long sequence, String reason) {
	}

	/**
	 * The state requests are judged by.
	 *
	 * @param covered the last rescan request this snapshot answers
	 * @param result the scan it comes from
	 * @param byAddress each labelled container's addresses to its rules
	 */
	private record Snapshot(long covered, Result result, Map<InetAddress, ClientRules> byAddress) {

		static final Snapshot INITIAL = new Snapshot(0, Result.NO_PROXY_CONTAINER, Map.of());

	}

}
