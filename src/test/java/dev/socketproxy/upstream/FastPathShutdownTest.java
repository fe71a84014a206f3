package dev.socketproxy.upstream;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class FastPathShutdownTest {

	@Test
	void stopsAfterTheGracefulShutdownAndBeforeTheServer() {
		assertThat(FastPathShutdown.PHASE).isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
			.isGreaterThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
	}

	@Test
	void waitsForAResponseWhoseCloseTheGracefulShutdownHasNotRunYet() throws Exception {
		FastPathShutdown shutdown = draining(Duration.ofSeconds(30));
		Connection slow = new Connection(true);
		shutdown.opened(slow);

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(shutdown::stop);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (slow.asked.get() < 5 && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
		}
		assertThat(slow.asked).as("stop() keeps asking while the response is open").hasValueGreaterThanOrEqualTo(5);
		assertThat(stopped).as("stop() must wait while the response is open").isNotDone();

		slow.responding = false;
		stopped.get(5, TimeUnit.SECONDS);
		assertThat(slow.cut).as("an ended response closes its connection itself").hasValue(0);
	}

	@Test
	void cutsTheResponsesStillOpenWhenTheGraceTimeIsOverAndLeavesTheOthers() {
		FastPathShutdown shutdown = draining(Duration.ofMillis(200));
		Connection endless = new Connection(true);
		Connection idle = new Connection(false);
		shutdown.opened(endless);
		shutdown.opened(idle);

		long start = System.nanoTime();
		shutdown.stop();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
		assertThat(endless.cut).hasValue(1);
		assertThat(idle.cut).hasValue(0);
		assertThat(shutdown.isRunning()).isFalse();
	}

	@Test
	void aClosedConnectionIsNoLongerWaitedFor() {
		FastPathShutdown shutdown = draining(Duration.ofSeconds(30));
		Connection gone = new Connection(true);
		shutdown.opened(gone);
		shutdown.closed(gone);

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(shutdown::stop);

		assertThat(stopped).succeedsWithin(Duration.ofSeconds(5));
		assertThat(gone.cut).hasValue(0);
	}

	@Test
	void aStopWithoutTheContextClosingWaitsForNothing() {
		FastPathShutdown shutdown = new FastPathShutdown(Duration.ofSeconds(30));
		shutdown.start();
		Connection open = new Connection(true);
		shutdown.opened(open);

		CompletableFuture<Void> stopped = CompletableFuture.runAsync(shutdown::stop);

		assertThat(stopped).succeedsWithin(Duration.ofSeconds(5));
		assertThat(open.cut).hasValue(0);
		assertThat(shutdown.draining()).isFalse();
	}

	private static FastPathShutdown draining(Duration grace) {
		FastPathShutdown shutdown = new FastPathShutdown(grace);
		shutdown.start();
		shutdown.onApplicationEvent(new ContextClosedEvent(new StaticApplicationContext()));
		assertThat(shutdown.draining()).isTrue();
		return shutdown;
	}

	private static final class Connection implements FastPathShutdown.ClientConnection {

		private volatile boolean responding;

		private final AtomicInteger cut = new AtomicInteger();

		private final AtomicInteger asked = new AtomicInteger();

		Connection(boolean responding) {
			this.responding = responding;
		}

		@Override
		public boolean responding() {
			this.asked.incrementAndGet();
			return this.responding;
		}

		@Override
		public void closeNow() {
			this.cut.incrementAndGet();
		}

	}

}
