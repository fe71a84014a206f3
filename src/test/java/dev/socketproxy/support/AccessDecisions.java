package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketproxy.access.AccessLog;

/**
 * The access decisions of every proxy running in this JVM ({@link RunningProxy}), read
 * from the proxy's own access log on the console: its {@code allowed request} lines
 * (logged at DEBUG, so this turns that one logger to DEBUG for proxies started while it
 * is installed) and its {@code blocked request} lines. A {@code rewritten request} line
 * turns the allowed decision it rewrote into one for its {@code forwarded} target: the
 * socket may then receive that target, and no longer the one the client sent.
 * <p>
 * Why the console and not a Logback appender: each proxy that starts stops and resets
 * Logback (Spring Boot configures logging per application), which detaches any appender
 * and listener a test added, so a proxy started inside a test would go unseen. Logback's
 * console appender writes to whatever {@link System#out} is at the time, as Spring Boot's
 * own output capture relies on; and a {@code logging.level} system property is applied
 * by every proxy that starts.
 */
public final class AccessDecisions {

	private static final String LEVEL_PROPERTY = "logging.level." + AccessLog.class.getName();

	/** The access line's message and its {@code key="value"} fields, as the console pattern prints them. */
	private static final Pattern LINE = Pattern.compile("\\b(allowed|blocked|rewritten) request ((?:\\w+=\"[^\"]*\" ?)*)");

	private static final Pattern FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");

	private static final List<Decision> decisions = new CopyOnWriteArrayList<>();

	private static volatile boolean recording;

	private static PrintStream tee;

	private AccessDecisions() {
	}

	/**
	 * Puts the console reader in front of {@link System#out}, for the rest of the JVM. It
	 * has to be there before any output capture starts: Spring Boot's
	 * {@code OutputCaptureExtension} unwraps only its own captures to find the console, so
	 * a reader installed inside a capture would pass every line on to it twice. Call it
	 * while a test class initialises, as {@link JudgedOnly}'s constructor does.
	 */
	static synchronized void readConsole() {
		if (tee == null) {
			tee = new PrintStream(new Tee(System.out), true, StandardCharsets.UTF_8);
			System.setOut(tee);
		}
	}

	/** Starts recording; idempotent. Proxies started before this do not log their allowed requests. */
	public static synchronized void install() {
		readConsole();
		System.setProperty(LEVEL_PROPERTY, "DEBUG");
		recording = true;
	}

	/** Stops recording and forgets what was recorded; idempotent. */
	public static synchronized void uninstall() {
		System.clearProperty(LEVEL_PROPERTY);
		recording = false;
		decisions.clear();
	}

	/** How many decisions were recorded so far: a mark for {@link #since}. */
	public static int count() {
		return decisions.size();
	}

	/** The decisions recorded after {@code mark}, in the order they were logged. */
	public static List<Decision> since(int mark) {
		List<Decision> all = List.copyOf(decisions);
		return all.subList(Math.min(mark, all.size()), all.size());
	}

	static void parse(String line) {
		Matcher access = LINE.matcher(line);
		if (!recording || !access.find()) {
			return;
		}
		String method = null;
		String path = null;
		String client = null;
		String forwarded = null;
		Matcher field = FIELD.matcher(access.group(2));
		while (field.find()) {
			switch (field.group(1)) {
				case "method" -> method = field.group(2);
				case "path" -> path = field.group(2);
				case "client" -> client = field.group(2);
				case "forwarded" -> forwarded = field.group(2);
				default -> {
				}
			}
		}
		if (access.group(1).equals("rewritten")) {
			rewrite(method, path, client, forwarded);
			return;
		}
		decisions.add(new Decision(access.group(1).equals("allowed"), method, path, client, System.nanoTime()));
	}

	/** The newest allowed decision for this request now allows its forwarded target only. */
	private static synchronized void rewrite(String method, String path, String client, String forwarded) {
		for (int i = decisions.size() - 1; i >= 0; i--) {
			Decision decision = decisions.get(i);
			if (decision.allowed() && decision.method().equals(method) && decision.path().equals(path)
					&& decision.client().equals(client)) {
				decisions.set(i, new Decision(true, method, forwarded, client, System.nanoTime()));
				return;
			}
		}
		throw new IllegalStateException("rewritten request without its allowed decision: " + method + " " + path);
	}

	/**
	 * One access decision as logged.
	 *
	 * @param allowed {@code true} for {@code allowed request}, {@code false} for a refusal
	 * @param method the method as judged
	 * @param path the target (path and query) as judged
	 * @param client {@code ip:port} of the client connection, or {@code unix}
	 * @param at {@link System#nanoTime()} when it was logged
	 */
	public record Decision(boolean allowed, String method, String path, String client, long at) {

		private static final Pattern CUT = Pattern.compile("(?s)(.*)…\\[cut ([0-9]+) chars\\]");

		/**
		 * Whether this decision judged {@code target}: the same text, or, where the log
		 * bound cut the path ({@code …[cut N chars]}), the same beginning and length.
		 */
		public boolean judged(String target) {
			Matcher cut = CUT.matcher(this.path);
			if (!cut.matches()) {
				return this.path.equals(target);
			}
			return target.startsWith(cut.group(1))
					&& target.length() == cut.group(1).length() + Integer.parseInt(cut.group(2));
		}

		@Override
		public String toString() {
			return (this.allowed ? "allowed " : "blocked ") + this.method + " " + this.path + " from " + this.client;
		}

	}

	/** Passes every byte on, and reads each line as it ends. */
	private static final class Tee extends OutputStream {

		private final PrintStream next;

		private final ByteArrayOutputStream line = new ByteArrayOutputStream();

		Tee(PrintStream next) {
			this.next = next;
		}

		@Override
		public synchronized void write(int b) {
			this.next.write(b);
			if (b == '\n') {
				parse(this.line.toString(StandardCharsets.UTF_8));
				this.line.reset();
			}
			else {
				this.line.write(b);
			}
		}

		@Override
		public synchronized void write(byte[] bytes, int offset, int length) {
			this.next.write(bytes, offset, length);
			for (int i = offset; i < offset + length; i++) {
				if (bytes[i] == '\n') {
					parse(this.line.toString(StandardCharsets.UTF_8));
					this.line.reset();
				}
				else {
					this.line.write(bytes[i]);
				}
			}
		}

		@Override
		public void flush() {
			this.next.flush();
		}

	}

}
