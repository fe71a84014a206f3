package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class OwnerLabelTest {

	private final OwnerLabel label = new OwnerLabel("socket-proxy.owner", "tenant-a");

	@Test
	void theLabelIsAddedAndTheRestOfTheBodyKeptByteForByte() {
		assertThat(labelled("{\"Image\":\"busybox\",\"Memory\":1.50e3}"))
			.isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"},\"Image\":\"busybox\",\"Memory\":1.50e3}");
		assertThat(labelled(" { } ")).isEqualTo(" {\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"} } ");
		assertThat(labelled("{\"Name\":\"v\", \"Labels\" : {\"a\":\"1\"} ,\"Driver\":\"local\"}"))
			.isEqualTo("{\"Name\":\"v\", \"Labels\" : {\"a\":\"1\",\"socket-proxy.owner\":\"tenant-a\"} ,\"Driver\":\"local\"}");
		assertThat(labelled("{\"Labels\":null,\"x\":[{\"Labels\":{}}]}"))
			.isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"},\"x\":[{\"Labels\":{}}]}");
	}

	@Test
	void emptyAndNullBodiesGetLabelsOnly() {
		assertThat(new String(this.label.body(new byte[0], null), StandardCharsets.UTF_8))
			.isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"}}");
		assertThat(labelled("null")).isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"}}");
	}

	@Test
	void aClientsOwnerLabelIsOverwrittenInAnySpellingOfLabels() {
		assertThat(labelled("{\"labels\":{\"socket-proxy.owner\":\"tenant-b\",\"b\":\"2\"}}"))
			.isEqualTo("{\"labels\":{\"socket-proxy.owner\":\"tenant-a\",\"b\":\"2\"}}");
		assertThat(labelled("{\"LABELſ\":{\"socket-proxy\\u002eowner\":\"tenant-b\"}}"))
			.isEqualTo("{\"LABELſ\":{\"socket-proxy.owner\":\"tenant-a\"}}");
	}

	@Test
	void ambiguousOrMalformedLabelsAreRefused() {
		for (String body : new String[] { "{\"Labels\":{},\"labels\":{}}", "{\"Labels\":[]}", "{\"Labels\":{\"a\":1}}",
				"{\"Labels\":{\"a\":null}}", "[]", "\"x\"" }) {
			assertThatExceptionOfType(InvalidBodyException.class).as(body).isThrownBy(() -> labelled(body));
		}
	}

	@Test
	void buildLabelsGetTheOwner() {
		assertThat(this.label.query("")).isEqualTo("{\"socket-proxy.owner\":\"tenant-a\"}");
		assertThat(this.label.query("{\"a\":\"\\\"1\\\"\",\"socket-proxy.owner\":\"x\"}"))
			.isEqualTo("{\"a\":\"\\\"1\\\"\",\"socket-proxy.owner\":\"tenant-a\"}");
		assertThat(this.label.query("null")).isEqualTo("{\"socket-proxy.owner\":\"tenant-a\"}");
		assertThatExceptionOfType(InvalidBodyException.class).isThrownBy(() -> this.label.query("{\"a\":\"1\"} x"));
		assertThatExceptionOfType(InvalidBodyException.class).isThrownBy(() -> this.label.query("{\"a\":\"1\",\"a\":\"2\"}"));
	}

	@Property(tries = 200)
	void theEngineReadsTheOwnerAndEveryOtherLabelAndField(@ForAll Map<String, String> labels, @ForAll String name) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("Name", name);
		body.put("Labels", labels);
		String json = EngineJson.write(body);

		Object read = EngineJson.parse(this.label.body(json.getBytes(StandardCharsets.UTF_8),
				EngineJson.parse(json.getBytes(StandardCharsets.UTF_8))));

		Map<String, Object> expected = new LinkedHashMap<>(labels);
		expected.put("socket-proxy.owner", "tenant-a");
		Map<String, Object> root = JsonValues.object(read, "body");
		assertThat(JsonValues.object(root.get("Labels"), "Labels")).isEqualTo(expected);
		assertThat(root.get("Name")).isEqualTo(name);
	}

	private String labelled(String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		Object json = EngineJson.parse(bytes);
		return new String(this.label.body(bytes, json), StandardCharsets.UTF_8);
	}

}
