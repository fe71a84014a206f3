package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EngineJsonTest {

	@Test
	void readsEscapesAndMatchesFieldsAsGoDoes() {
		Map<String, Object> root = JsonValues.object(parse("{\"hostCONFIG\":{\"Bind\\u017f\":[\"/a:/b\"],\"\\u0050rivileged\":true}}"),
				"body");
		Map<String, Object> hostConfig = JsonValues.objectAt(root, "HostConfig");

		assertThat(JsonValues.field(hostConfig, "Binds")).isEqualTo(List.of("/a:/b"));
		assertThat(JsonValues.field(hostConfig, "Privileged")).isEqualTo(true);
		assertThat(JsonValues.field(hostConfig, "Mounts")).isNull();
	}

	@Test
	void keysThatDifferOnlyInCaseAreAmbiguousWhenTheyNameAField() {
		Map<String, Object> root = JsonValues.object(parse("{\"Binds\":[],\"BINDS\":[\"/etc:/x\"],\"Labels\":{\"a\":\"1\",\"A\":\"2\"}}"),
				"body");

		assertThatExceptionOfType(InvalidBodyException.class).isThrownBy(() -> JsonValues.field(root, "Binds"))
			.withMessage("ambiguous JSON: keys Binds and BINDS both mean Binds");
		assertThat(JsonValues.object(JsonValues.field(root, "Labels"), "Labels")).containsEntry("A", "2");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}", "{\"a\":1", "{'a':1}", "{\"a\":1,}", "{\"a\":01}",
			"{\"a\":NaN}", "{\"a\":1} // comment", "", "   " })
	void refusesWhatTheEngineWouldReadDifferentlyOrNotAtAll(String body) {
		assertThatExceptionOfType(InvalidBodyException.class).isThrownBy(() -> parse(body))
			.withMessageMatching("(malformed|ambiguous) JSON: .+");
	}

	@Test
	void wrongTypesAreRefusedNotSkipped() {
		Map<String, Object> root = JsonValues.object(parse("{\"Binds\":\"/etc:/x\"}"), "body");

		assertThatExceptionOfType(InvalidBodyException.class)
			.isThrownBy(() -> JsonValues.array(JsonValues.field(root, "Binds"), "Binds"))
			.withMessage("malformed JSON: Binds must be an array");
	}

	private static Object parse(String json) {
		return EngineJson.parse(json.getBytes(StandardCharsets.UTF_8));
	}

}
