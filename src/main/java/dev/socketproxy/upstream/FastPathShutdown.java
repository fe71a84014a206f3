package dev.socketproxy.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives responses the fast path is still forwarding at shutdown the same grace time the
 * gateway's requests get. Reactor Netty's graceful shutdown waits only for requests it
 * handles itself and closes every other connection at once; so while the proxy shuts
 * down, {@link FastPathHandler} holds such a close back until its response has ended, and
 * this lifecycle, which stops right after the graceful shutdown and before the server
 * itself, waits for those responses until the grace time is over, then cuts the rest (an
 * endless {@code /events} stream, say).
 */
final class FastPathShutdown implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	/** After {@code WebServerGracefulShutdownLifecycle}, before {@code WebServerStartStopLifecycle}. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private static final Logger logger = LoggerFactory.getLogger(FastPathShutdown.class);

	private static final long POLL_MILLIS = 20;

	private final Duration grace;

	private final Set<FastPathHandler> held = ConcurrentHashMap.newKeySet();

	private volatile long deadline;

	private volatile boolean draining;

	private volatile boolean running;

	FastPathShutdown(Duration grace) {
		this.grace = grace;
	}

	/** The shutdown has begun: the grace time counts from here, as the gateway's does. */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.deadline = System.nanoTime() + this.grace.toNanos();
		this.draining = true;
	}

	boolean draining() {
		return this.draining;
	}

	void holding(FastPathHandler handler) {
		this.held.add(handler);
	}

	void released(FastPathHandler handler) {
		this.held.remove(handler);
	}

	@Override
	public void stop() {
		if (!this.held.isEmpty()) {
			logger.atInfo()
				.addKeyValue("responses", this.held.size())
				.log("waiting for forwarded responses to end");
		}
		while (!this.held.isEmpty() && System.nanoTime() - this.deadline < 0) {
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.held.forEach(FastPathHandler::closeNow);
		this.running = false;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
