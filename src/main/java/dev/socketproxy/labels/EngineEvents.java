package dev.socketproxy.labels;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

import dev.socketproxy.labels.DockerEngine.Event;

/**
 * Follows the engine events that can change which container has which address on the
 * proxy's networks, and asks for a rescan on each. When the stream ends or fails (engine
 * restart, socket gone) it subscribes again after a pause that doubles up to a maximum,
 * and rescans once subscribed, since events during the gap are lost.
 * <p>
 * A lifecycle in the last phase: it follows once the listener is up, and stops first when
 * the proxy shuts down, before the graceful shutdown and before Reactor Netty's resources
 * go, which would otherwise cut the stream and have it logged as failed and followed again.
 */
public class EngineEvents implements SmartLifecycle {

	/** Values of one key are alternatives; the keys must all match. */
	static final Map<String, List<String>> FILTERS = Map.of("type", List.of("container", "network"), "event",
			List.of("start", "restart", "die", "destroy", "connect", "disconnect"));

	/** When to look again after a network event: soon, and once more in case the engine is slow. */
	private static final List<Duration> SETTLE_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));

	private static final Logger logger = LoggerFactory.getLogger(EngineEvents.class);

	private final DockerEngine engine;

	private final Consumer<String> rescan;

	private final RetryBackoffSpec resubscribe;

	private Disposable following;

	EngineEvents(DockerEngine engine, Consumer<String> rescan, RetryBackoffSpec resubscribe) {
		this.engine = engine;
		this.rescan = rescan;
		this.resubscribe = resubscribe;
	}

	/**
	 * Subscribes again after a pause that doubles from {@code first} up to {@code max}; an
	 * event (the first of each subscription is {@link Event#SUBSCRIBED}) starts it over.
	 */
	static RetryBackoffSpec resubscribe(Duration first, Duration max) {
		return Retry.backoff(Long.MAX_VALUE, first).maxBackoff(max).jitter(0).transientErrors(true);
	}

	@Override
	public void start() {
		this.following = Flux.defer(() -> this.engine.events(FILTERS))
			// An ended stream is followed again like a failed one.
			.concatWith(Flux.error(StreamEnded::new))
			.doOnError((ex) -> !(ex instanceof StreamEnded), (ex) -> logger.atWarn()
				.addKeyValue("error", Objects.toString(ex.getMessage(), ex.getClass().getSimpleName()))
				.log("engine event stream failed"))
			.retryWhen(this.resubscribe.doBeforeRetry((signal) -> logger.atWarn()
				.addKeyValue("attempt", signal.totalRetriesInARow() + 1)
				.log("engine event stream ended: subscribing again; label rules stay as last seen meanwhile")))
			.flatMap(this::received)
			.subscribe();
	}

	@Override
	public void stop() {
		if (this.following != null) {
			this.following.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.following != null && !this.following.isDisposed();
	}

	/**
	 * The last phase, stated rather than inherited: it stops before the graceful shutdown
	 * ({@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}).
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE;
	}

	private Mono<Void> received(Event event) {
		if (event == Event.SUBSCRIBED) {
			logger.info("subscribed to engine events for label allowlists");
			this.rescan.accept("subscribed");
			return Mono.empty();
		}
		logger.atDebug()
			.addKeyValue("type", event.type())
			.addKeyValue("action", event.action())
			.addKeyValue("actor", event.actorName())
			.log("engine event");
		this.rescan.accept("event");
		if (!event.type().equals("network")) {
			return Mono.empty();
		}
		// The engine reports a network connect before the container's own record lists the
		// network (observed with dockerd 20.10), so a scan right away can miss it.
		return Flux.fromIterable(SETTLE_DELAYS).concatMap(Mono::delay).doOnNext((tick) -> this.rescan.accept("network_settle")).then();
	}

	/** The end of an event stream that completed, which the engine never does while it runs. */
	private static final class StreamEnded extends RuntimeException {

		StreamEnded() {
			super("engine event stream ended", null, false, false);
		}

	}

}
