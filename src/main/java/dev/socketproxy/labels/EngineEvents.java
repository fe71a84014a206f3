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

	private final Backoff backoff;

	private Disposable following;

	EngineEvents(DockerEngine engine, Consumer<String> rescan, Backoff backoff) {
		this.engine = engine;
		this.rescan = rescan;
		this.backoff = backoff;
	}

	@Override
	public void start() {
		this.following = Mono.defer(this::followOnce).then(Mono.defer(this::pause)).repeat().subscribe();
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

	private Mono<Void> followOnce() {
		return this.engine.events(FILTERS).flatMap(this::received).then().onErrorResume((ex) -> {
			logger.atWarn()
				.addKeyValue("error", Objects.toString(ex.getMessage(), ex.getClass().getSimpleName()))
				.log("engine event stream failed");
			return Mono.empty();
		});
	}

	private Mono<Void> received(Event event) {
		if (event == Event.SUBSCRIBED) {
			this.backoff.reset();
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
		return Flux.fromIterable(SETTLE_DELAYS).concatMap(Mono::delay).doOnNext((tick) -> this.rescan.accept("network-settle")).then();
	}

	private Mono<Void> pause() {
		Duration pause = this.backoff.next();
		logger.atWarn()
			.addKeyValue("retryIn", pause)
			.log("engine event stream ended: subscribing again; label rules stay as last seen meanwhile");
		return Mono.delay(pause).then();
	}

}
