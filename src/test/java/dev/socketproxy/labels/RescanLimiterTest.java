package dev.socketproxy.labels;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.socketproxy.support.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

class RescanLimiterTest {

	private final MovableClock clock = new MovableClock();

	private final RescanLimiter limiter = new RescanLimiter(this.clock, Duration.ofSeconds(2));

	@Test
	void oneRescanPerInterval() {
		assertThat(this.limiter.tryAcquire()).isTrue();
		assertThat(this.limiter.tryAcquire()).isFalse();
		this.clock.advance(Duration.ofMillis(1999));
		assertThat(this.limiter.tryAcquire()).isFalse();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.limiter.tryAcquire()).isTrue();
		assertThat(this.limiter.tryAcquire()).isFalse();
	}

	@Test
	void aStormOfCallersOverTenSecondsCostsFiveRescans() {
		int granted = 0;
		for (int i = 0; i < 10_000; i++) {
			if (this.limiter.tryAcquire()) {
				granted++;
			}
			this.clock.advance(Duration.ofMillis(1));
		}
		assertThat(granted).isEqualTo(5);
	}

}
