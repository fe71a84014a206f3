package dev.socketproxy.labels;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** The pauses before following the engine's events again, without waiting them out. */
class EngineEventsResubscribeTest {

	@Test
	void pausesDoubleFromOneSecondUpToThirtyAndStartOverAfterAnEvent() {
		RecordingScheduler scheduler = new RecordingScheduler();
		AtomicInteger subscriptions = new AtomicInteger();
		Flux<String> stream = Flux.defer(() -> switch (subscriptions.incrementAndGet()) {
			case 8 -> Flux.concat(Flux.just("subscribed"), Flux.error(new IOException("engine restarted")));
			case 10 -> Flux.just("subscribed");
			default -> Flux.error(new IOException("no socket"));
		});

		List<String> events = stream
			.retryWhen(EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(30)).scheduler(scheduler))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(events).containsExactly("subscribed", "subscribed");
		assertThat(scheduler.delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 1L, 2L);
	}

	/** Records each delay asked for and runs the task at once. */
	private static final class RecordingScheduler implements Scheduler {

		private final List<Duration> delays = new ArrayList<>();

		@Override
		public Disposable schedule(Runnable task) {
			task.run();
			return Disposables.disposed();
		}

		@Override
		public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
			this.delays.add(Duration.ofNanos(unit.toNanos(delay)));
			return schedule(task);
		}

		@Override
		public Worker createWorker() {
			return Schedulers.immediate().createWorker();
		}

	}

}
