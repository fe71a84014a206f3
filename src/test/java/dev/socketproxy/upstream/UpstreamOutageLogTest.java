package dev.socketproxy.upstream;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import dev.socketproxy.support.MovableClock;

import static org.assertj.core.api.Assertions.assertThat;

/** However many requests fail, an outage costs one line, one per interval, and one when it ends. */
class UpstreamOutageLogTest {

	private final MovableClock clock = new MovableClock();

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private UpstreamOutageLog outage;

	@BeforeEach
	void logToList() {
		Logger logger = new LoggerContext().getLogger("outage");
		this.lines.start();
		logger.addAppender(this.lines);
		this.outage = new UpstreamOutageLog(Path.of("/run/docker.sock"), this.clock, logger);
	}

	@Test
	void theFirstFailureIsLoggedAtOnceWithTheRequest() {
		this.outage.failed(MockServerHttpRequest.get("/v1.41/version?x=1").build(), new FileNotFoundException());

		assertThat(this.lines.list).hasSize(1);
		ILoggingEvent first = this.lines.list.get(0);
		assertThat(first.getLevel()).isEqualTo(Level.ERROR);
		assertThat(first.getMessage()).isEqualTo("upstream socket unreachable");
		assertThat(fields(first)).containsEntry("reason", "socket unreachable")
			.containsEntry("method", "GET")
			.containsEntry("path", "/v1.41/version?x=1")
			.containsEntry("status", "502")
			.containsEntry("socket", "/run/docker.sock")
			.containsEntry("error", "FileNotFoundException");
	}

	@Test
	void aFloodOfFailuresWritesOneSummaryPerInterval() {
		// 30 s at 1,000 failures a second.
		for (int i = 0; i < 30_000; i++) {
			fail();
			this.clock.advance(Duration.ofMillis(1));
		}

		assertThat(this.lines.list).extracting(ILoggingEvent::getMessage)
			.containsExactly("upstream socket unreachable", "upstream socket still unreachable",
					"upstream socket still unreachable");
		ILoggingEvent summary = this.lines.list.get(1);
		assertThat(summary.getLevel()).isEqualTo(Level.ERROR);
		assertThat(fields(summary)).containsEntry("reason", "socket unreachable")
			.containsEntry("count", "10000")
			.containsEntry("duration", "10.000s")
			.containsEntry("error", "connect(..) failed: Connection refused")
			.doesNotContainKey("path");
		assertThat(fields(this.lines.list.get(2))).containsEntry("count", "10000")
			.containsEntry("duration", "20.000s");
	}

	@Test
	void theSocketAnsweringAgainEndsTheOutageWithItsDurationAndFailures() {
		fail();
		this.clock.advance(Duration.ofMillis(4_200));
		for (int i = 0; i < 99; i++) {
			fail();
		}
		this.clock.advance(Duration.ofMillis(1_004));
		this.outage.answered();
		this.outage.answered();

		assertThat(this.lines.list).hasSize(2);
		ILoggingEvent recovery = this.lines.list.get(1);
		assertThat(recovery.getLevel()).isEqualTo(Level.INFO);
		assertThat(recovery.getMessage()).isEqualTo("upstream socket answers again");
		assertThat(fields(recovery)).containsEntry("count", "100")
			.containsEntry("duration", "5.204s")
			.containsEntry("socket", "/run/docker.sock");
	}

	@Test
	void answersOutsideAnOutageLogNothing() {
		this.outage.answered();

		assertThat(this.lines.list).isEmpty();
	}

	@Test
	void theNextOutageStartsAfresh() {
		fail();
		fail();
		this.outage.answered();
		this.clock.advance(Duration.ofMinutes(5));
		fail();
		this.clock.advance(Duration.ofSeconds(3));
		this.outage.answered();

		assertThat(this.lines.list).extracting(ILoggingEvent::getMessage)
			.containsExactly("upstream socket unreachable", "upstream socket answers again",
					"upstream socket unreachable", "upstream socket answers again");
		assertThat(fields(this.lines.list.get(3))).containsEntry("count", "1").containsEntry("duration", "3.000s");
	}

	private void fail() {
		this.outage.failed(MockServerHttpRequest.get("/v1.41/containers/json").build(),
				new ConnectException("connect(..) failed: Connection refused"));
	}

	private static Map<String, String> fields(ILoggingEvent event) {
		List<KeyValuePair> pairs = event.getKeyValuePairs();
		return pairs.stream().collect(Collectors.toMap((pair) -> pair.key, (pair) -> String.valueOf(pair.value)));
	}

}
