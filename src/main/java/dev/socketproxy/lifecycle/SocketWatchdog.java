package dev.socketproxy.lifecycle;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import org.springframework.context.SmartLifecycle;

import dev.socketproxy.health.SocketCheck;
import dev.socketproxy.health.SocketStatus;

/**
 * Checks the socket every {@code watchdog-interval}. A failed check logs one ERROR line;
 * with {@code stop-on-watchdog} the proxy then stops gracefully with exit code 10 so
 * that its orchestrator restarts it, otherwise it keeps serving (requests get 502 until
 * the socket is back) and logs the recovery.
 */
public class SocketWatchdog implements SmartLifecycle {

	/** The reference's exit code when the watchdog stops the proxy. */
	public static final int EXIT_CODE = 10;

	private static final Logger logger = LoggerFactory.getLogger(SocketWatchdog.class);

	private final SocketCheck check;

	private final Duration interval;

	private final boolean stopOnFailure;

	private final ProcessExit exit;

	private Disposable checks;

	private boolean down;

	public SocketWatchdog(SocketCheck check, Duration interval, boolean stopOnFailure, ProcessExit exit) {
		this.check = check;
		this.interval = interval;
		this.stopOnFailure = stopOnFailure;
		this.exit = exit;
	}

	/** Does nothing when {@code watchdog-interval} is zero, the default. */
	@Override
	public void start() {
		if (this.interval.isZero()) {
			return;
		}
		this.checks = Flux.interval(this.interval, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> this.check.check(), 1)
			.subscribe(this::observe);
	}

	private void observe(SocketStatus status) {
		if (!status.up()) {
			logger.atError()
				.addKeyValue("socket", this.check.socket())
				.addKeyValue("error", status.error())
				.addKeyValue("stopping", this.stopOnFailure)
				.log("watchdog: socket not answering");
			this.down = true;
			if (this.stopOnFailure) {
				this.checks.dispose();
				this.exit.exit(EXIT_CODE);
			}
		}
		else if (this.down) {
			this.down = false;
			logger.atInfo().addKeyValue("socket", this.check.socket()).log("watchdog: socket answering again");
		}
	}

	@Override
	public void stop() {
		if (this.checks != null) {
			this.checks.dispose();
		}
	}

	@Override
	public boolean isRunning() {
		return this.checks != null && !this.checks.isDisposed();
	}

}
