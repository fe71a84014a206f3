package dev.socketproxy.labels;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.socketproxy.labels.DockerEngine.Event;

/**
 * Asks for a rescan of the labelled containers on each engine event that can change which
 * container has which address on the proxy's networks, and once subscribed, since events
 * during a gap are lost.
 */
final class LabelRescans implements EngineEvents.Follower {

	/** Values of one key are alternatives; the keys must all match. */
	static final Map<String, List<String>> FILTERS = Map.of("type", List.of("container", "network"), "event",
			List.of("start", "restart", "die", "destroy", "connect", "disconnect"));

	/** When to look again after a network event: soon, and once more in case the engine is slow. */
	private static final List<Duration> SETTLE_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4));

	private final Consumer<String> rescan;

	LabelRescans(Consumer<String> rescan) {
		this.rescan = rescan;
	}

	@Override
	public String purpose() {
		return "label allowlists";
	}

	@Override
	public String meanwhile() {
		return "label rules stay as last seen meanwhile";
	}

	@Override
	public void subscribed() {
		this.rescan.accept("subscribed");
	}

	@Override
	public Mono<Void> received(Event event) {
		this.rescan.accept("event");
		if (!event.type().equals("network")) {
			return Mono.empty();
		}
		// The engine reports a network connect before the container's own record lists the
		// network (observed with dockerd 20.10), so a scan right away can miss it.
		return Flux.fromIterable(SETTLE_DELAYS).concatMap(Mono::delay).doOnNext((tick) -> this.rescan.accept("network_settle")).then();
	}

	@Override
	public void lost() {
		// the label rules stay as last seen; the scan once subscribed again catches up
	}

}
