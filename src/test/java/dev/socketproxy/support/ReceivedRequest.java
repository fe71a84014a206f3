package dev.socketproxy.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a test's Unix-socket server received: a request it parsed, or bytes it could not
 * parse as one. Every recording server in {@code support} also adds what it receives to
 * {@link #all()}, the one list the {@link JudgedOnly} check reads.
 *
 * @param server the socket path of the server that received it
 * @param connection which of that server's connections it came on
 * @param method the request method, {@code null} for unparseable bytes
 * @param target the request target as sent, {@code null} for unparseable bytes
 * @param head the request line and headers as received (for unparseable bytes: the bytes)
 * @param body the body as received, empty when none
 * @param problem {@code null} for a request parsed whole; otherwise why the bytes are not one
 * @param at {@link System#nanoTime()} when the request head (or the bytes) arrived
 */
public record ReceivedRequest(String server, String connection, String method, String target, String head, byte[] body,
		String problem, long at) {

	private static final List<ReceivedRequest> all = new CopyOnWriteArrayList<>();

	static void add(ReceivedRequest received) {
		all.add(received);
	}

	/** The same request, now with the body that followed its head. */
	static void replace(ReceivedRequest head, ReceivedRequest withBody) {
		int index = all.indexOf(head);
		if (index >= 0) {
			all.set(index, withBody);
		}
	}

	/** Everything any recording server received in this JVM, in order of arrival. */
	public static List<ReceivedRequest> all() {
		return List.copyOf(all);
	}

	/** How many were received so far: a mark for {@link #since}. */
	public static int count() {
		return all.size();
	}

	public static List<ReceivedRequest> since(int mark) {
		List<ReceivedRequest> copy = List.copyOf(all);
		return copy.subList(Math.min(mark, copy.size()), copy.size());
	}

	/** The newest arrival's time, or {@code Long.MIN_VALUE} when nothing arrived. */
	static long lastArrival() {
		List<ReceivedRequest> copy = List.copyOf(all);
		return copy.isEmpty() ? Long.MIN_VALUE : copy.get(copy.size() - 1).at();
	}

	static void clearAll() {
		all.clear();
	}

	public boolean parsed() {
		return this.problem == null;
	}

	public String bodyText() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		String where = " (" + this.server + " connection " + this.connection + ")";
		if (parsed()) {
			return this.method + " " + this.target + where;
		}
		return this.problem + ": " + printable(this.head) + where;
	}

	/** The bytes with CR, LF and other controls made visible, cut at 300 characters. */
	public static String printable(String bytes) {
		StringBuilder out = new StringBuilder();
		for (char c : bytes.toCharArray()) {
			if (out.length() > 300) {
				return out + "...";
			}
			switch (c) {
				case '\r' -> out.append("\\r");
				case '\n' -> out.append("\\n");
				case '\t' -> out.append("\\t");
				default -> out.append((c < 0x20 || c >= 0x7f) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
			}
		}
		return out.toString();
	}

}
