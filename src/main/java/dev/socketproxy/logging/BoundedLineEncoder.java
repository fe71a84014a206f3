package dev.socketproxy.logging;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.slf4j.event.KeyValuePair;

import org.springframework.boot.logging.logback.StructuredLogEncoder;

/**
 * The console's encoder (see {@code logback-spring.xml}): Spring Boot's pattern or
 * structured (JSON) encoder, with every log entry at most {@value #MAX_LINE} characters
 * apart from a stack trace's frames. Log entries carry what clients send (paths, methods,
 * container labels, the header names Reactor Netty's {@code Decoding failed} WARN lists
 * one per line), and one request must not write tens of kilobytes to an operator's log.
 * Being the encoder, it bounds every logger's entries, the libraries' too, in either
 * format.
 * <p>
 * An entry over the bound is written again with its strings (the message, the values of
 * its key-value pairs) cut to the same length, halved until it fits, each cut string
 * ending in {@code …[cut N chars]}; cutting the strings rather than the text keeps a JSON
 * entry one valid object.
 */
public class BoundedLineEncoder extends EncoderBase<ILoggingEvent> {

	/** The longest entry, in characters, that the console gets. */
	static final int MAX_LINE = 1024;

	private static final int MIN_STRING = 32;

	private String pattern;

	private String structuredFormat;

	private Charset charset = StandardCharsets.UTF_8;

	private Encoder<ILoggingEvent> delegate;

	public void setPattern(String pattern) {
		this.pattern = pattern;
	}

	/** Spring Boot's {@code logging.structured.format.console}; JSON when not empty. */
	public void setStructuredFormat(String structuredFormat) {
		this.structuredFormat = structuredFormat;
	}

	public void setCharset(Charset charset) {
		this.charset = charset;
	}

	private boolean structured() {
		return this.structuredFormat != null && !this.structuredFormat.isBlank();
	}

	@Override
	public void start() {
		if (structured()) {
			StructuredLogEncoder encoder = new StructuredLogEncoder();
			encoder.setFormat(this.structuredFormat);
			encoder.setCharset(this.charset);
			this.delegate = encoder;
		}
		else {
			PatternLayoutEncoder encoder = new PatternLayoutEncoder();
			encoder.setPattern(this.pattern);
			encoder.setCharset(this.charset);
			this.delegate = encoder;
		}
		this.delegate.setContext(getContext());
		this.delegate.start();
		super.start();
	}

	@Override
	public void stop() {
		this.delegate.stop();
		super.stop();
	}

	@Override
	public byte[] headerBytes() {
		return this.delegate.headerBytes();
	}

	@Override
	public byte[] footerBytes() {
		return this.delegate.footerBytes();
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		ILoggingEvent bounded = event;
		for (int longest = MAX_LINE / 2; longest >= MIN_STRING && length(bounded) > MAX_LINE; longest /= 2) {
			bounded = bounded(event, longest, event.getThrowableProxy());
		}
		return this.delegate.encode(bounded);
	}

	/** The characters the event takes, apart from a stack trace's frames. */
	private int length(ILoggingEvent event) {
		int strings = String.valueOf(event.getFormattedMessage()).length();
		if (event.getKeyValuePairs() != null) {
			strings += event.getKeyValuePairs().stream().mapToInt((pair) -> String.valueOf(pair.value).length()).sum();
		}
		// Most events are far shorter than the bound, with the fixed fields counted generously.
		if (strings + 512 <= MAX_LINE) {
			return strings;
		}
		return new String(this.delegate.encode(bounded(event, Integer.MAX_VALUE, null)), this.charset).strip().length();
	}

	/** A copy of the event with its strings cut to {@code longest} characters, and {@code throwable}. */
	private ILoggingEvent bounded(ILoggingEvent event, int longest, IThrowableProxy throwable) {
		LoggingEvent copy = new LoggingEvent();
		copy.setLoggerContext((LoggerContext) getContext());
		copy.setLoggerName(event.getLoggerName());
		copy.setLevel(event.getLevel());
		copy.setThreadName(event.getThreadName());
		copy.setInstant(event.getInstant());
		copy.setSequenceNumber(event.getSequenceNumber());
		copy.setMDCPropertyMap(event.getMDCPropertyMap());
		if (event.getMarkerList() != null) {
			event.getMarkerList().forEach(copy::addMarker);
		}
		if (throwable instanceof ThrowableProxy proxy) {
			copy.setThrowableProxy(proxy);
		}
		copy.setMessage(cut(event.getFormattedMessage(), longest));
		List<KeyValuePair> pairs = event.getKeyValuePairs();
		if (pairs != null) {
			copy.setKeyValuePairs(pairs.stream()
				.map((pair) -> new KeyValuePair(pair.key, (pair.value instanceof Number || pair.value instanceof Boolean)
						? pair.value : cut(String.valueOf(pair.value), longest)))
				.toList());
		}
		return copy;
	}

	/** The text, or its first {@code longest} characters and how many more were cut. */
	static String cut(String text, int longest) {
		if (text == null || text.length() <= longest) {
			return text;
		}
		return text.substring(0, longest) + "…[cut " + (text.length() - longest) + " chars]";
	}

}
