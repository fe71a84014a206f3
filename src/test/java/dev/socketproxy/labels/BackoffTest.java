package dev.socketproxy.labels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

	@Test
	void doublesFromOneSecondUpToThirtyAndStartsOverAfterReset() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
		List<Long> pauses = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			pauses.add(backoff.next().toSeconds());
		}
		backoff.reset();

		assertThat(pauses).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
		assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
	}

}
