package dev.socketproxy.labels;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import dev.socketproxy.labels.DockerEngine.Event;

/**
 * Follows the engine events that can change which container has which address on the
 * proxy's networks, and asks for a rescan on each. When the stream ends or fails (engine
 * restart, socket gone) it subscribes again after a pause that doubles up to a maximum,
 * and rescans once subscribed, since events during the gap are lost.
 */
public class EngineEvents implements AutoCloseable {

	/** Values of one key are alternatives; the keys must all match. */
	static final Map<String, List<String>> FILTERS = Map.of("type", List.of("container", "network"), "event",
			List.of("start", "restart", "die", "destroy", "connect", "disconnect"));

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

	public void start() {
		this.following = Mono.defer(this::followOnce).then(Mono.defer(this::pause)).repeat().subscribe();
	}

	@Override
	public void close() {
		if (this.following != null) {
			this.following.dispose();
		}
	}

	private Mono<Void> followOnce() {
		return this.engine.events(FILTERS).doOnNext(this::received).then().onErrorResume((ex) -> {
			logger.atWarn()
				.addKeyValue("error", Objects.toString(ex.getMessage(), ex.getClass().getSimpleName()))
				.log("engine event stream failed");
			return Mono.empty();
		});
	}

	private void received(Event event) {
		if (event == Event.SUBSCRIBED) {
			this.backoff.reset();
			logger.info("subscribed to engine events for label allowlists");
			this.rescan.accept("subscribed");
			return;
		}
		logger.atDebug()
			.addKeyValue("type", event.type())
			.addKeyValue("action", event.action())
			.addKeyValue("actor", event.actorName())
			.log("engine event");
		this.rescan.accept("event");
	}

	private Mono<Void> pause() {
		var pause = this.backoff.next();
		logger.atWarn()
			.addKeyValue("retryIn", pause)
			.log("engine event stream ended: subscribing again; label rules stay as last seen meanwhile");
		return Mono.delay(pause).then();
	}

}
