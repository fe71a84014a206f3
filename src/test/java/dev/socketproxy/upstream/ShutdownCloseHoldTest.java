package dev.socketproxy.upstream;

import java.time.Duration;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.StaticApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** A close that reaches a connection with a forwarded response open waits for it only at shutdown. */
class ShutdownCloseHoldTest {

	private final FastPathShutdown shutdown = new FastPathShutdown(Duration.ofSeconds(30));

	private final ShutdownCloseHold hold = new ShutdownCloseHold(this.shutdown);

	private final EmbeddedChannel channel = new EmbeddedChannel(this.hold);

	@Test
	void atShutdownACloseWaitsForTheOpenResponseThenHappens() {
		draining();
		this.hold.responding(true);

		ChannelFuture closed = this.channel.close();
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.hold.responding()).isTrue();

		this.hold.responding(false);
		ChannelFuture written = this.channel.writeAndFlush("the response's end");
		assertThat(this.hold.closeHeldAfter(written)).isTrue();
		this.channel.runPendingTasks();
		assertThat(closed).isDone();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aFailedResponseReleasesTheHeldCloseAtOnce() {
		draining();
		this.hold.responding(true);
		this.channel.close();

		this.hold.responding(false);
		assertThat(this.hold.closeHeld()).isTrue();
		this.channel.runPendingTasks();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void withoutAResponseOrAShutdownNothingIsHeld() {
		this.hold.responding(true);
		this.channel.close();
		assertThat(this.channel.isOpen()).as("not shutting down").isFalse();

		EmbeddedChannel idle = new EmbeddedChannel(new ShutdownCloseHold(this.shutdown));
		draining();
		idle.close();
		assertThat(idle.isOpen()).as("no response open").isFalse();
		assertThat(this.hold.closeHeld()).isFalse();
	}

	@Test
	void theShutdownWaitsForTheConnectionWhileItIsInThePipeline() {
		draining();
		this.hold.responding(true);
		this.channel.pipeline().remove(this.hold);

		long start = System.nanoTime();
		this.shutdown.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the 30 s grace time is not waited for")
			.isLessThan(Duration.ofSeconds(10));
		assertThat(this.channel.isOpen()).isTrue();
	}

	private void draining() {
		this.shutdown.onApplicationEvent(new ContextClosedEvent(new StaticApplicationContext()));
	}

}
