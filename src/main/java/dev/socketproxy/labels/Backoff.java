package dev.socketproxy.labels;

import java.time.Duration;

/** Pauses between attempts that double from {@code initial} up to {@code max}, until {@link #reset}. */
final class Backoff {

	private final Duration initial;

	private final Duration max;

	private Duration next;

	Backoff(Duration initial, Duration max) {
		this.initial = initial;
		this.max = max;
		this.next = initial;
	}

	/** The pause before the next attempt. */
	synchronized Duration next() {
		Duration pause = this.next;
		Duration doubled = this.next.multipliedBy(2);
		this.next = (doubled.compareTo(this.max) > 0) ? this.max : doubled;
		return pause;
	}

	/** After a success, the next failure waits {@code initial} again. */
	synchronized void reset() {
		this.next = this.initial;
	}

}
