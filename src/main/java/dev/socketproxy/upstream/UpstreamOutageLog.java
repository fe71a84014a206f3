package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

import dev.socketproxy.access.AccessLog;
import dev.socketproxy.access.SocketAnswers;

/**
 * Logs an outage of the socket in a few lines however many requests fail during it: the
 * first failure at once at ERROR (with the request, as before), then at most one summary
 * per {@link #SUMMARY_INTERVAL} with the failures since the previous line, and one INFO
 * line when the socket answers again, with the outage's duration and its failures. A
 * busy client sends thousands of requests a second, and one line for each buried
 * everything else in the log. The metrics still count every failure.
 * <p>
 * A summary is written by the first failure after its interval has passed, so no timer
 * runs; the recovery line carries the total, including failures no summary reported.
 */
public class UpstreamOutageLog implements SocketAnswers {

	/** A constant rather than a setting: an operator needs to know that the outage lasts, not how often. */
	static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

	private static final String REASON = "socket unreachable";

	private final Path socket;

	private final Clock clock;

	private final Logger logger;

	/** Read on every answered request, which takes the lock only while an outage lasts. */
	private volatile boolean down;

	private Instant started;

	private Instant lastLine;

	private long failures;

	private long unreported;

	public UpstreamOutageLog(Path socket) {
		this(socket, Clock.systemUTC(), LoggerFactory.getLogger(UpstreamOutageLog.class));
	}

	UpstreamOutageLog(Path socket, Clock clock, Logger logger) {
		this.socket = socket;
		this.clock = clock;
		this.logger = logger;
	}

	/** An allowed request the socket could not answer; the client gets 502. */
	public synchronized void failed(ServerHttpRequest request, Throwable error) {
		Instant now = this.clock.instant();
		this.failures++;
		if (!this.down) {
			this.down = true;
			this.started = now;
			this.lastLine = now;
			this.unreported = 0;
			fields(AccessLog.fields(this.logger.atError(), request), error).addKeyValue("status", HttpStatus.BAD_GATEWAY.value())
				.log("upstream socket unreachable");
			return;
		}
		this.unreported++;
		if (Duration.between(this.lastLine, now).compareTo(SUMMARY_INTERVAL) >= 0) {
			fields(this.logger.atError(), error).addKeyValue("count", this.unreported)
				.addKeyValue("duration", seconds(Duration.between(this.started, now)))
				.log("upstream socket still unreachable");
			this.lastLine = now;
			this.unreported = 0;
		}
	}

	/** The socket answered a request (any status): ends an outage. */
	@Override
	public void answered() {
		if (this.down) {
			recovered();
		}
	}

	private synchronized void recovered() {
		if (!this.down) {
			return;
		}
		this.down = false;
		this.logger.atInfo()
			.addKeyValue("socket", this.socket)
			.addKeyValue("count", this.failures)
			.addKeyValue("duration", seconds(Duration.between(this.started, this.clock.instant())))
			.log("upstream socket answers again");
		this.failures = 0;
	}

	private LoggingEventBuilder fields(LoggingEventBuilder event, Throwable error) {
		return event.addKeyValue("reason", REASON)
			.addKeyValue("socket", this.socket)
			.addKeyValue("error", (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName());
	}

	/** {@code 5.204s}: milliseconds are enough, and the unit stays in the value. */
	private static String seconds(Duration duration) {
		return String.format("%d.%03ds", duration.toSeconds(), duration.toMillisPart());
	}

}
