package dev.socketproxy.access.body;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import dev.socketproxy.access.Denial;

/**
 * A request's form as the engine reads it ({@code r.Form}): the query, read as Go's
 * {@code url.ParseQuery} reads it, and, ahead of it, the fields of an
 * {@code application/x-www-form-urlencoded} body. A decision on query parameters refuses
 * such a body ({@link #hasFormBody}), and a judged parameter given twice, of which the
 * engine takes the first, so that the query it judged or rewrote is the one the engine uses.
 */
public final class EngineForm {

	/** The refusal of a request whose body the engine would read as form fields. */
	public static final Denial FORM_BODY = Denial.explained(HttpStatus.BAD_REQUEST,
			"form body not inspected: the engine would read its fields before the query");

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private EngineForm() {
	}

	/** Go's {@code parsePostForm} reads the body for this media type; a multipart one only on request. */
	public static boolean hasFormBody(HttpHeaders headers) {
		for (String contentType : headers.getOrEmpty(HttpHeaders.CONTENT_TYPE)) {
			int semicolon = contentType.indexOf(';');
			String mediaType = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).strip()
				.toLowerCase(Locale.ROOT);
			if (mediaType.equals("application/x-www-form-urlencoded") || mediaType.startsWith("multipart/")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Go's {@code url.ParseQuery}: pairs split at {@code &}, empty ones skipped, keys and
	 * values unescaped with {@code +} as a space. The target's percent-encoding is already
	 * known to be valid.
	 * @param single the parameters the decision reads, which must not be given twice
	 * @throws IllegalArgumentException for a query the engine would not read as judged here
	 */
	public static Map<String, List<String>> parse(String rawQuery, List<String> single) {
		Map<String, List<String>> form = new LinkedHashMap<>();
		if (rawQuery == null) {
			return form;
		}
		if (rawQuery.indexOf(';') >= 0) {
			throw new IllegalArgumentException("ambiguous query: ';' separator");
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String key = unescape((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? unescape(pair.substring(equals + 1)) : "";
			form.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
		}
		for (String name : single) {
			if (form.getOrDefault(name, List.of()).size() > 1) {
				throw new IllegalArgumentException("ambiguous query: " + name + " given more than once");
			}
		}
		return form;
	}

	/** The first value of a parameter, as {@code r.Form.Get} reads it; empty if absent. */
	public static String first(Map<String, List<String>> form, String name) {
		List<String> values = form.getOrDefault(name, List.of());
		return values.isEmpty() ? "" : values.get(0);
	}

	/**
	 * The raw query with the parameter {@code name} set to {@code value}: every pair of
	 * that name (by its unescaped key) is dropped and one is added at the end. The other
	 * pairs keep their bytes, in the form Spring's URI handling, which the gateway forwards
	 * through, leaves as it is, so the socket receives this very query: a {@code =} within
	 * a value is escaped as {@code %3D} (Spring would encode the whole query again), pairs
	 * with an empty key are dropped (Spring would make {@code =x} a key {@code x}; the
	 * engine reads no empty key), and pairs of one key follow each other (as Spring groups
	 * them; Go keeps their order). The query must have been {@link #parse parsed} first.
	 */
	public static String with(String rawQuery, String name, String value) {
		Map<String, List<String>> pairs = new LinkedHashMap<>();
		if (rawQuery != null) {
			for (String pair : rawQuery.split("&")) {
				int equals = pair.indexOf('=');
				String key = (equals >= 0) ? pair.substring(0, equals) : pair;
				if (!key.isEmpty() && !unescape(key).equals(name)) {
					pairs.computeIfAbsent(key, (k) -> new ArrayList<>())
						.add((equals >= 0) ? key + "=" + pair.substring(equals + 1).replace("=", "%3D") : key);
				}
			}
		}
		StringBuilder query = new StringBuilder();
		pairs.values().forEach((kept) -> kept.forEach((pair) -> query.append(pair).append('&')));
		return query.append(escape(name)).append('=').append(escape(value)).toString();
	}

	/** Percent-encodes every byte but RFC 3986's unreserved characters, so no reader can take it otherwise. */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~') {
				escaped.append(c);
			}
			else {
				escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
		}
		return escaped.toString();
	}

	private static String unescape(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length()) {
				bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				bytes.write((c == '+') ? ' ' : c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
