package dev.socketproxy.access;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request target in canonical origin form: the only form the proxy forwards. Rules
 * match {@link #path()}, the percent-decoded path; the socket receives {@link #rawPath()}
 * and {@link #rawQuery()} byte for byte as the client sent them. Because decoding a
 * canonical raw path is unambiguous and cannot create or remove a segment, the path a
 * rule judged and the path the socket routes on are the same.
 * <p>
 * Non-canonical targets are refused, not repaired: dot segments ({@code .}, {@code ..},
 * also as {@code %2e}), empty segments ({@code //}, a trailing {@code /}), encoded
 * {@code /} and {@code \}, control characters (also encoded, NUL included), malformed
 * percent-encoding or UTF-8, characters outside RFC 3986's path and query sets,
 * fragments, and absolute-, authority- and asterisk-form targets.
 */
public final class RequestTarget {

	private final String rawPath;

	private final String rawQuery;

	private final String path;

	private RequestTarget(String rawPath, String rawQuery, String path) {
		this.rawPath = rawPath;
		this.rawQuery = rawQuery;
		this.path = path;
	}

	/**
	 * Parses the request target exactly as it appeared in the request line.
	 * @throws NonCanonicalException naming what makes the target non-canonical
	 */
	public static RequestTarget parse(String target) {
		if (target.isEmpty()) {
			throw new NonCanonicalException("empty target");
		}
		if (target.equals("*")) {
			throw new NonCanonicalException("asterisk-form target");
		}
		if (target.charAt(0) != '/') {
			throw new NonCanonicalException(target.contains("://") ? "absolute-form target" : "not origin-form");
		}
		if (target.indexOf('#') >= 0) {
			throw new NonCanonicalException("fragment");
		}
		int question = target.indexOf('?');
		String rawPath = (question >= 0) ? target.substring(0, question) : target;
		String rawQuery = (question >= 0) ? target.substring(question + 1) : null;
		String path = decodePath(rawPath);
		checkSegments(path);
		if (rawQuery != null) {
			checkQuery(rawQuery);
		}
		return new RequestTarget(rawPath, rawQuery, path);
	}

	/** The percent-decoded path: what rules match. */
	public String path() {
		return this.path;
	}

	/** The path as the client sent it: what the socket receives. */
	public String rawPath() {
		return this.rawPath;
	}

	/** The query as the client sent it, without {@code ?}; {@code null} if there was none. */
	public String rawQuery() {
		return this.rawQuery;
	}

	@Override
	public String toString() {
		return (this.rawQuery != null) ? this.rawPath + "?" + this.rawQuery : this.rawPath;
	}

	private static String decodePath(String rawPath) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
		for (int i = 0; i < rawPath.length(); i++) {
			char c = rawPath.charAt(i);
			if (c == '%') {
				int decoded = percentEncodedByte(rawPath, i);
				if (decoded == '/') {
					throw new NonCanonicalException("encoded slash");
				}
				if (decoded == '\\') {
					throw new NonCanonicalException("encoded backslash");
				}
				bytes.write(decoded);
				i += 2;
			}
			else if (isPathCharacter(c)) {
				bytes.write(c);
			}
			else {
				throw new NonCanonicalException(rejectedCharacter(c));
			}
		}
		String path = utf8(bytes.toByteArray());
		for (int i = 0; i < path.length(); i++) {
			if (Character.isISOControl(path.charAt(i))) {
				throw new NonCanonicalException("control character");
			}
		}
		return path;
	}

	private static void checkSegments(String path) {
		if (path.equals("/")) {
			return;
		}
		int start = 1;
		while (start <= path.length()) {
			int end = path.indexOf('/', start);
			if (end < 0) {
				end = path.length();
			}
			String segment = path.substring(start, end);
			if (segment.isEmpty()) {
				throw new NonCanonicalException("empty segment");
			}
			if (segment.equals(".") || segment.equals("..")) {
				throw new NonCanonicalException("dot segment");
			}
			start = end + 1;
		}
	}

	private static void checkQuery(String rawQuery) {
		for (int i = 0; i < rawQuery.length(); i++) {
			char c = rawQuery.charAt(i);
			if (c == '%') {
				percentEncodedByte(rawQuery, i);
				i += 2;
			}
			else if (!isPathCharacter(c) && c != '?') {
				throw new NonCanonicalException(rejectedCharacter(c));
			}
		}
	}

	private static int percentEncodedByte(String text, int percent) {
		if (percent + 2 >= text.length() || !isAsciiHex(text.charAt(percent + 1))
				|| !isAsciiHex(text.charAt(percent + 2))) {
			throw new NonCanonicalException("invalid percent-encoding");
		}
		return Integer.parseInt(text, percent + 1, percent + 3, 16);
	}

	private static boolean isAsciiHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	/** RFC 3986 {@code pchar} without {@code %}, plus {@code /}. */
	private static boolean isPathCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
	}

	private static String rejectedCharacter(char c) {
		if (c == '\\') {
			return "backslash";
		}
		return (c < 0x20 || c == 0x7f) ? "control character" : "character not allowed in a request target";
	}

	private static String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new NonCanonicalException("invalid UTF-8");
		}
	}

	/** Thrown by {@link #parse} for a target the proxy does not forward. */
	public static final class NonCanonicalException extends IllegalArgumentException {

		public NonCanonicalException(String reason) {
			super(reason);
		}

	}

}
