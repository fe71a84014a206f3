package dev.socketproxy.labels;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * Follows a filtered stream of engine events for one {@link Follower}. When the stream
 * ends or fails (engine restart, socket gone) it subscribes again after a pause that
 * doubles up to a maximum; the follower hears that it {@link Follower#lost lost} the
 * stream, and that it is {@link Follower#subscribed subscribed} again, since events during
 * the gap are lost.
 * <p>
 * A lifecycle in the last phase: it follows once the listener is up, and stops first when
 * the proxy shuts down, before the graceful shutdown and before Reactor Netty's resources
 * go, which would otherwise cut the stream and have it logged as failed and followed again.
 */
public class EngineEvents implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(EngineEvents.class);

	private final DockerEngine engine;

	private final Map<String, List<String>> filters;

	private final Follower follower;

	private final RetryBackoffSpec resubscribe;

	private Disposable following;

	/**
	 * @param filters the engine-side filters: values of one key are alternatives; the keys must all match
	 */
	public EngineEvents(DockerEngine engine, Map<String, List<String>> filters, Follower follower,
			RetryBackoffSpec resubscribe) {
		this.engine = engine;
		this.filters = Map.copyOf(filters);
		this.follower = follower;
		this.resubscribe = resubscribe;
	}

	/**
	 * Subscribes again after a pause that doubles from {@code first} up to {@code max}; an
	 * event (the first of each subscription is {@link Event#SUBSCRIBED}) starts it over.
	 */
	public static RetryBackoffSpec resubscribe(Duration first, Duration max) {
		return Retry.backoff(Long.MAX_VALUE, first).maxBackoff(max).jitter(0).transientErrors(true);
	}

	@Override
	public void start() {
		this.following = Flux.defer(() -> this.engine.events(this.filters))
			// An ended stream is followed again like a failed one.
			.concatWith(Flux.error(StreamEnded::new))
			.doOnError((ex) -> this.follower.lost())
			.doOnError((ex) -> !(ex instanceof StreamEnded), (ex) -> logger.atWarn()
				.addKeyValue("for", this.follower.purpose())
				.addKeyValue("error", Objects.toString(ex.getMessage(), ex.getClass().getSimpleName()))
				.log("engine event stream failed"))
			.retryWhen(this.resubscribe.doBeforeRetry((signal) -> logger.atWarn()
				.addKeyValue("for", this.follower.purpose())
				.addKeyValue("attempt", signal.totalRetriesInARow() + 1)
				.log("engine event stream ended: subscribing again; " + this.follower.meanwhile())))
			.flatMap(this::received)
			.subscribe();
	}

	@Override
	public void stop() {
		if (this.following != null) {
			this.following.dispose();
			this.follower.lost();
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
			logger.info("subscribed to engine events for " + this.follower.purpose());
			this.follower.subscribed();
			return Mono.empty();
		}
		logger.atDebug()
			.addKeyValue("type", event.type())
			.addKeyValue("action", event.action())
			.addKeyValue("actor", event.actorName())
			.log("engine event");
		return this.follower.received(event);
	}

	/** What follows the events. */
	public interface Follower {

		/** What the events are followed for, for logs: {@code label allowlists}. */
		String purpose();

		/** What holds while the stream is lost, for the log line: {@code label rules stay as last seen meanwhile}. */
		String meanwhile();

		/** The engine accepted a subscription: events from now on arrive; earlier ones may have been missed. */
		void subscribed();

		/** One event; the stream waits for the answer before the next. */
		Mono<Void> received(Event event);

		/** The stream ended, failed or was stopped: events are missed until {@link #subscribed} again. */
		void lost();

	}

	/** The end of an event stream that completed, which the engine never does while it runs. */
	private static final class StreamEnded extends RuntimeException {

		StreamEnded() {
			super("engine event stream ended", null, false, false);
		}

	}

}
