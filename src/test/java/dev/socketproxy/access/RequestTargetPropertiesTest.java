package dev.socketproxy.access;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the canonicaliser and of rule matching on its output, and a bounded fuzz
 * run: whatever the bytes, the parser answers with a canonical target or a refusal.
 */
class RequestTargetPropertiesTest {

	private static final MethodRules RULES = MethodRules.compile(Map.of("GET",
			List.of("/v1\\.41/containers/[^/]+/json", "/v1\\.41/(version|info)", "/_ping")));

	@Property(tries = 1000)
	void everyAcceptedTargetIsCanonical(@ForAll("targets") String raw) {
		RequestTarget target = canonicalOrNull(raw);
		if (target == null) {
			return;
		}
		String path = target.path();
		assertThat(path).startsWith("/");
		if (!path.equals("/")) {
			assertThat(path.substring(1).split("/", -1)).doesNotContain("", ".", "..");
		}
		assertThat(path.codePoints().noneMatch(Character::isISOControl)).isTrue();
		assertThat(target.toString()).as("forwarded as received").isEqualTo(raw);
	}

	@Property(tries = 1000)
	void canonicalisingAgainChangesNothing(@ForAll("targets") String raw) {
		RequestTarget target = canonicalOrNull(raw);
		if (target == null) {
			return;
		}
		RequestTarget reparsed = RequestTarget.parse(target.toString());
		RequestTarget reencoded = RequestTarget.parse(encode(target.path()));

		assertThat(reparsed.path()).isEqualTo(target.path());
		assertThat(reencoded.path()).isEqualTo(target.path());
		assertThat(RULES.evaluate("GET", reencoded.path())).isEqualTo(RULES.evaluate("GET", target.path()));
	}

	@Property(tries = 500)
	void everyPathOfOrdinarySegmentsIsAcceptedAndDecodedBack(@ForAll("segments") List<String> segments) {
		String path = "/" + String.join("/", segments);

		RequestTarget target = RequestTarget.parse(encode(path));

		assertThat(target.path()).isEqualTo(path);
		assertThat(RULES.evaluate("GET", target.path())).isEqualTo(RULES.evaluate("GET", path));
	}

	/** Bounded fuzz run: arbitrary request-line bytes never make the parser fail in any other way. */
	@Property(tries = 5000)
	void arbitraryBytesAreAcceptedOrRefusedNeverCrash(@ForAll("bytes") String raw) {
		try {
			RequestTarget target = RequestTarget.parse(raw);
			assertThat(target.toString()).isEqualTo(raw);
		}
		catch (RequestTarget.NonCanonicalException ex) {
			assertThat(ex.getMessage()).isNotBlank();
		}
	}

	@Provide
	Arbitrary<String> targets() {
		Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of("/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%00",
				"%", "%4", "%zz", "%C3%A9", "%C0%AE", "%FF", "%20", "?", "#", ";", "\\", "//", "v1.41", "containers", "json",
				"version", "a", "\u00e9", " ", "\t", "*", "http://h"), Arbitraries.strings().ofMaxLength(3));
		return piece.list().ofMaxSize(12).map((pieces) -> String.join("", pieces));
	}

	@Provide
	Arbitrary<List<String>> segments() {
		return Arbitraries.strings()
			.withCharRange('\u00a0', '\ud7ff')
			.withChars("abcXYZ019.-_~!$&'()*+,;=:@% ?#\"")
			.ofMinLength(1)
			.ofMaxLength(8)
			.filter((s) -> !s.equals(".") && !s.equals(".."))
			.list()
			.ofMinSize(1)
			.ofMaxSize(6);
	}

	@Provide
	Arbitrary<String> bytes() {
		return Arbitraries.bytes()
			.array(byte[].class)
			.ofMaxSize(64)
			.map((b) -> new String(b, StandardCharsets.ISO_8859_1));
	}

	private static RequestTarget canonicalOrNull(String raw) {
		try {
			return RequestTarget.parse(raw);
		}
		catch (RequestTarget.NonCanonicalException ex) {
			return null;
		}
	}

	/** Percent-encodes everything but RFC 3986 unreserved characters and {@code /}. */
	private static String encode(String path) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", (int) c));
			}
		}
		return encoded.toString();
	}

}
