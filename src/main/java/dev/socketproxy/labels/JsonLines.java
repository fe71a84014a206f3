package dev.socketproxy.labels;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the engine's event stream, one JSON object per line, into whole lines however
 * the chunks fall. One instance per stream; not thread-safe (a stream's chunks arrive in order).
 */
final class JsonLines {

	/** One event is a few hundred bytes; a line this long means the stream is not what we think. */
	private static final int MAX_LINE = 1024 * 1024;

	private final StringBuilder pending = new StringBuilder();

	/** The lines completed by this chunk, without their line ends; blank lines are skipped. */
	List<String> append(String chunk) {
		List<String> lines = new ArrayList<>();
		int start = 0;
		for (int newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', start)) {
			this.pending.append(chunk, start, newline);
			String line = this.pending.toString().strip();
			this.pending.setLength(0);
			if (!line.isEmpty()) {
				lines.add(line);
			}
			start = newline + 1;
		}
		this.pending.append(chunk, start, chunk.length());
		if (this.pending.length() > MAX_LINE) {
			throw new IllegalStateException("event stream line longer than " + MAX_LINE + " characters");
		}
		return lines;
	}

}
