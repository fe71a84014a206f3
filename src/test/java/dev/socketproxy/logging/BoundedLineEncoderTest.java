package dev.socketproxy.logging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLineEncoderTest {

	private final LoggerContext context = new LoggerContext();

	private final BoundedLineEncoder encoder = new BoundedLineEncoder();

	@BeforeEach
	void start() {
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		this.encoder.setContext(this.context);
		this.encoder.setPattern("%p %logger : %m %kvp%n");
		this.encoder.start();
	}

	@Test
	void anEntryWithinTheBoundIsWrittenAsItIs() {
		assertThat(encode(event("blocked request", new KeyValuePair("path", "/v1.41/version"))))
			.isEqualTo("WARN test : blocked request path=\"/v1.41/version\"\n");
	}

	@Test
	void anEntryOverTheBoundHasItsStringsCutUntilItFits() {
		String entry = encode(event("Decoding failed:\nX-A: <filtered>".repeat(2000),
				new KeyValuePair("path", "/" + "a".repeat(3000)), new KeyValuePair("status", 403)));

		assertThat(entry.strip()).hasSizeLessThanOrEqualTo(BoundedLineEncoder.MAX_LINE)
			.startsWith("WARN test : Decoding failed:\nX-A: <filtered>")
			.contains("…[cut ", "path=\"/aaa", "status=\"403\"");
	}

	@Test
	void cutSaysHowMuchWasCut() {
		assertThat(BoundedLineEncoder.cut("abcdef", 2)).isEqualTo("ab…[cut 4 chars]");
		assertThat(BoundedLineEncoder.cut("ab", 2)).isEqualTo("ab");
	}

	@Test
	void anEntryWithoutAMessageIsWritten() {
		assertThat(encode(event(null))).isEqualTo("WARN test : null \n");
	}

	private String encode(LoggingEvent event) {
		return new String(this.encoder.encode(event), StandardCharsets.UTF_8);
	}

	private LoggingEvent event(String message, KeyValuePair... pairs) {
		LoggingEvent event = new LoggingEvent();
		event.setLoggerContext(this.context);
		event.setLoggerName("test");
		event.setLevel(Level.WARN);
		event.setInstant(Instant.now());
		event.setMessage(message);
		event.setKeyValuePairs((pairs.length > 0) ? List.of(pairs) : null);
		return event;
	}

}
