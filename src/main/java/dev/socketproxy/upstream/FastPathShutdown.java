package dev.socketproxy.upstream;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Gives responses the fast path is still forwarding at shutdown the same grace time the
 * gateway's requests get. Reactor Netty's graceful shutdown waits only for requests it
 * handles itself and closes every other connection at once; so while the proxy shuts
 * down, {@link ShutdownCloseHold} holds such a close back until its response has ended, and
 * this lifecycle, which stops right after the graceful shutdown and before the server
 * itself, waits for those responses until the grace time is over, then cuts the rest (an
 * endless {@code /events} stream, say).
 * <p>
 * It waits for every connection with a response open, not only for those whose close
 * was already held: the graceful shutdown only queues its closes on the event loops, and
 * a busy loop may not have run them yet when this lifecycle stops.
 */
final class FastPathShutdown implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	/**
	 * Stops right after the graceful shutdown ({@link WebServerApplicationContext#GRACEFUL_SHUTDOWN_PHASE}),
	 * whose held closes it waits for, and before the server stops
	 * ({@link WebServerApplicationContext#START_STOP_LIFECYCLE_PHASE}); a lower phase stops later.
	 */
	static final int PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 1;

	private static final Logger logger = LoggerFactory.getLogger(FastPathShutdown.class);

	private static final long POLL_MILLIS = 20;

	private final Duration grace;

	private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();

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

	void opened(ClientConnection connection) {
		this.connections.add(connection);
	}

	void closed(ClientConnection connection) {
		this.connections.remove(connection);
	}

	@Override
	public void stop() {
		if (this.draining) {
			long responding = this.connections.stream().filter(ClientConnection::responding).count();
			if (responding > 0) {
				logger.atInfo().addKeyValue("responses", responding).log("waiting for forwarded responses to end");
			}
			awaitResponses();
			this.connections.stream().filter(ClientConnection::responding).forEach(ClientConnection::closeNow);
		}
		this.running = false;
	}

	private void awaitResponses() {
		while (this.connections.stream().anyMatch(ClientConnection::responding)
				&& System.nanoTime() - this.deadline < 0) {
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
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

	/** A client connection of the fast path, as this lifecycle sees it from its own thread. */
	interface ClientConnection {

		/** Whether a forwarded request is at the socket and its response has not ended yet. */
		boolean responding();

		/** Closes the connection now, on its event loop, a held close included. */
		void closeNow();

	}

}
