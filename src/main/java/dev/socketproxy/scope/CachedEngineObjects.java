package dev.socketproxy.scope;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

import dev.socketproxy.labels.DockerEngine.Event;
import dev.socketproxy.labels.EngineEvents;
import dev.socketproxy.scope.EngineObject.Kind;

/**
 * Keeps what the engine answered for a few seconds, by kind and reference, so a client's
 * burst of calls on one object costs one inspect. The cache is only trusted while the
 * engine's events are followed: an event that can change what a reference names (a
 * container destroyed or renamed, a network or volume destroyed, an image deleted, tagged
 * or untagged) drops what it touches, and every (re)subscription and every loss of the
 * stream empties the cache, since events in a gap are lost. Meanwhile each call asks the
 * engine. An answer that arrives after an event touched the cache is not kept, as it may
 * have been given before the event. Objects the engine does not know are never kept: one
 * created a moment later must be found.
 * <p>
 * The events are followed from the first lookup on, so a proxy whose clients have no
 * scope never subscribes; the follow stops first at shutdown, as the label events do.
 */
final class CachedEngineObjects implements EngineObjects, EngineEvents.Follower, SmartLifecycle {

	/** Values of one key are alternatives; the keys must all match. */
	static final Map<String, List<String>> FILTERS = Map.of("type", List.of("container", "network", "volume", "image"),
			"event", List.of("destroy", "rename", "delete", "untag", "tag"));

	/** Past this many entries the cache starts over rather than grow. */
	static final int MAX_ENTRIES = 10_000;

	private final EngineObjects engine;

	private final EngineEvents events;

	private final long ttlNanos;

	private final LongSupplier nanoTime;

	private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

	private boolean subscribed;

	private long generation;

	private boolean running;

	private boolean following;

	/**
	 * @param events the event stream to follow, built for this cache as its follower
	 * @param nanoTime the clock of the entries' ages
	 */
	CachedEngineObjects(EngineObjects engine, Function<EngineEvents.Follower, EngineEvents> events, Duration ttl,
			LongSupplier nanoTime) {
		this.engine = engine;
		this.events = events.apply(this);
		this.ttlNanos = ttl.toNanos();
		this.nanoTime = nanoTime;
	}

	@Override
	public Mono<Optional<EngineObject>> find(Kind kind, String reference) {
		Key key = new Key(kind, reference);
		long asked;
		synchronized (this) {
			followFromNowOn();
			Entry entry = this.subscribed ? this.entries.get(key) : null;
			if (entry != null && this.nanoTime.getAsLong() - entry.storedAt() < this.ttlNanos) {
				return Mono.just(Optional.of(entry.object()));
			}
			asked = this.generation;
		}
		return this.engine.find(kind, reference).doOnNext((found) -> found.ifPresent((object) -> keep(key, object, asked)));
	}

	private void followFromNowOn() {
		if (this.running && !this.following) {
			this.following = true;
			this.events.start();
		}
	}

	private synchronized void keep(Key key, EngineObject object, long asked) {
		if (!this.subscribed || asked != this.generation) {
			return;
		}
		if (this.entries.size() >= MAX_ENTRIES) {
			this.entries.clear();
		}
		this.entries.put(key, new Entry(object, this.nanoTime.getAsLong()));
	}

	@Override
	public String purpose() {
		return "object scopes";
	}

	@Override
	public String meanwhile() {
		return "objects are looked up without the cache meanwhile";
	}

	@Override
	public synchronized void subscribed() {
		forgetAll();
		this.subscribed = true;
	}

	@Override
	public synchronized void lost() {
		forgetAll();
		this.subscribed = false;
	}

	@Override
	public synchronized Mono<Void> received(Event event) {
		this.generation++;
		if (event.type().equals("image")) {
			// A tag names another image after it; which cached name it moved is not worth finding out.
			this.entries.keySet().removeIf((key) -> key.kind() == Kind.IMAGE);
		}
		else {
			this.entries.values()
				.removeIf((entry) -> entry.object().id().equals(event.actorId())
						|| event.actorId().equals(entry.object().containerId()));
		}
		return Mono.empty();
	}

	private void forgetAll() {
		this.generation++;
		this.entries.clear();
	}

	/** How many answers are kept, for tests. */
	int size() {
		return this.entries.size();
	}

	@Override
	public synchronized void start() {
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.following) {
			this.following = false;
			this.events.stop();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	/** The label events' phase: the follow stops before the graceful shutdown. */
	@Override
	public int getPhase() {
		return this.events.getPhase();
	}

	private record Key(Kind kind, String reference) {
	}

	private record Entry(EngineObject object, long storedAt) {
	}

}
