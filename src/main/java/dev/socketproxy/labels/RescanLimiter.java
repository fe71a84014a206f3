package dev.socketproxy.labels;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most one rescan per interval for callers the labels do not know: a client that keeps
 * calling with an unknown address, or many of them at once, cost one engine scan per
 * interval, not one per request.
 */
final class RescanLimiter {

	private final Clock clock;

	private final Duration interval;

	private Instant last;

	RescanLimiter(Clock clock, Duration interval) {
		this.clock = clock;
		this.interval = interval;
	}

	/** Whether a rescan may start now; if so, the interval starts again. */
	synchronized boolean tryAcquire() {
		Instant now = this.clock.instant();
		if (this.last != null && now.isBefore(this.last.plus(this.interval))) {
			return false;
		}
		this.last = now;
		return true;
	}

}
