package dev.socketproxy.scope;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import dev.socketproxy.labels.DockerEngine;
import dev.socketproxy.labels.DockerEngine.Event;
import dev.socketproxy.labels.EngineEvents;
import dev.socketproxy.scope.EngineObject.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/** When the cache answers, and when the engine is asked again. */
class CachedEngineObjectsTest {

	private static final EngineObject WEB = new EngineObject(Kind.CONTAINER, "c1", List.of("/web"), Map.of(), null);

	private final AtomicLong now = new AtomicLong();

	private final AtomicInteger asked = new AtomicInteger();

	private final List<EngineObject> answers = new ArrayList<>(List.of(WEB));

	private final List<EngineEvents.Follower> followers = new ArrayList<>();

	private CachedEngineObjects cache;

	@BeforeEach
	void start() {
		EngineObjects engine = (kind, reference) -> Mono.fromSupplier(() -> {
			this.asked.incrementAndGet();
			return this.answers.stream().filter((o) -> o.kind() == kind && o.names().contains("/" + reference)).findFirst();
		});
		this.cache = new CachedEngineObjects(engine, (follower) -> {
			this.followers.add(follower);
			// never started here: the follower's calls are made by the test
			return new EngineEvents(new DockerEngine(HttpClient.create()), Map.of(), follower,
					EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(1)));
		}, Duration.ofSeconds(5), this.now::get);
	}

	@Test
	void withoutASubscriptionEveryLookupAsksTheEngine() {
		find("web");
		find("web");
		assertThat(this.asked).hasValue(2);
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void whileSubscribedAnAnswerIsKeptForItsTime() {
		this.cache.subscribed();
		assertThat(find("web")).contains(WEB);
		assertThat(find("web")).contains(WEB);
		assertThat(this.asked).hasValue(1);
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		find("web");
		assertThat(this.asked).hasValue(2);
	}

	@Test
	void anEventOnTheObjectDropsItAndALostStreamDropsAll() {
		this.cache.subscribed();
		find("web");
		this.cache.received(new Event("container", "destroy", "c1", "web")).block();
		find("web");
		assertThat(this.asked).hasValue(2);
		this.cache.received(new Event("container", "destroy", "other", "db")).block();
		find("web");
		assertThat(this.asked).as("another container's event").hasValue(2);
		this.cache.lost();
		find("web");
		find("web");
		assertThat(this.asked).hasValue(4);
		this.cache.subscribed();
		find("web");
		assertThat(this.asked).hasValue(5);
	}

	@Test
	void anExecIsDroppedWithItsContainerAndImagesWithAnyImageEvent() {
		this.answers.add(new EngineObject(Kind.EXEC, "e1", List.of("/web"), Map.of(), "c1"));
		this.answers.add(new EngineObject(Kind.IMAGE, "sha256:1", List.of("/web"), Map.of(), null));
		this.cache.subscribed();
		find(Kind.EXEC, "web");
		find(Kind.IMAGE, "web");
		assertThat(this.cache.size()).isEqualTo(2);
		this.cache.received(new Event("image", "tag", "sha256:2", "nginx:1")).block();
		assertThat(this.cache.size()).isEqualTo(1);
		this.cache.received(new Event("container", "destroy", "c1", "web")).block();
		assertThat(this.cache.size()).isZero();
	}

	@Test
	void unknownObjectsAreNotKept() {
		this.cache.subscribed();
		assertThat(find("nothing")).isEmpty();
		find("nothing");
		assertThat(this.asked).hasValue(2);
	}

	@Test
	void anAnswerGivenBeforeAnEventIsNotKept() {
		this.cache.subscribed();
		EngineObjects slow = (kind, reference) -> Mono.just(Optional.of(WEB));
		CachedEngineObjects racing = new CachedEngineObjects((kind, reference) -> {
			// the event arrives while the engine answers
			this.followers.get(this.followers.size() - 1).received(new Event("network", "destroy", "n1", "net")).block();
			return slow.find(kind, reference);
		}, (follower) -> {
			this.followers.add(follower);
			return new EngineEvents(new DockerEngine(HttpClient.create()), Map.of(), follower,
					EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(1)));
		}, Duration.ofSeconds(5), this.now::get);
		racing.subscribed();
		racing.find(Kind.CONTAINER, "web").block();
		assertThat(racing.size()).isZero();
	}

	private Optional<EngineObject> find(String name) {
		return find(Kind.CONTAINER, name);
	}

	private Optional<EngineObject> find(Kind kind, String name) {
		return this.cache.find(kind, name).block(Duration.ofSeconds(5));
	}

}
