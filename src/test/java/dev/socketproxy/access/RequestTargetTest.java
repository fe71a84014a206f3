package dev.socketproxy.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RequestTargetTest {

	@Test
	void decodesThePathAndKeepsTheRawFormsForForwarding() {
		RequestTarget target = RequestTarget.parse("/v1.41/containers/web%20one%C3%A9/json?all=1&x=%2F");

		assertThat(target.path()).isEqualTo("/v1.41/containers/web one\u00e9/json");
		assertThat(target.rawPath()).isEqualTo("/v1.41/containers/web%20one%C3%A9/json");
		assertThat(target.rawQuery()).isEqualTo("all=1&x=%2F");
		assertThat(target).hasToString("/v1.41/containers/web%20one%C3%A9/json?all=1&x=%2F");
	}

	@Test
	void rootAndEmptyQueryAreCanonical() {
		assertThat(RequestTarget.parse("/").path()).isEqualTo("/");
		assertThat(RequestTarget.parse("/_ping?").rawQuery()).isEmpty();
		assertThat(RequestTarget.parse("/_ping").rawQuery()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/v1.41/containers/../secrets         | dot segment
			/v1.41/./version                     | dot segment
			/v1.41/%2e%2E/version                | dot segment
			/v1.41/.%2e                          | dot segment
			/v1.41/%2E                           | dot segment
			//v1.41/version                      | empty segment
			/v1.41//version                      | empty segment
			/v1.41/version/                      | empty segment
			/v1.41/a%2Fb                         | encoded slash
			/v1.41/a%2fb                         | encoded slash
			/v1.41/a%5cb                         | encoded backslash
			/v1.41/a\\b                          | backslash
			/v1.41/a%00                          | control character
			/v1.41/a%0A                          | control character
			/v1.41/a%C2%85                       | control character
			/v1.41/a%zz                          | invalid percent-encoding
			/v1.41/a%4                           | invalid percent-encoding
			/v1.41/a%                            | invalid percent-encoding
			/v1.41/a%C0%AE                       | invalid UTF-8
			/v1.41/a%FF                          | invalid UTF-8
			/v1.41/a?b=%G0                       | invalid percent-encoding
			/v1.41/a#frag                        | fragment
			/v1.41/a?b#frag                      | fragment
			http://host/v1.41/version            | absolute-form target
			*                                    | asterisk-form target
			host:2375                            | not origin-form
			/v1.41/a b                           | character not allowed in a request target
			/v1.41/a"b                           | character not allowed in a request target
			/v1.41/a?b={"x":1}                   | character not allowed in a request target
			""")
	void refusesNonCanonicalTargets(String target, String reason) {
		assertThatExceptionOfType(RequestTarget.NonCanonicalException.class)
			.isThrownBy(() -> RequestTarget.parse(target.replace("\\\\", "\\")))
			.withMessage(reason);
	}

	@Test
	void refusesAnEmptyTargetAndControlCharacters() {
		assertThatExceptionOfType(RequestTarget.NonCanonicalException.class).isThrownBy(() -> RequestTarget.parse(""))
			.withMessage("empty target");
		assertThatExceptionOfType(RequestTarget.NonCanonicalException.class)
			.isThrownBy(() -> RequestTarget.parse("/a\tb"))
			.withMessage("control character");
	}

}
