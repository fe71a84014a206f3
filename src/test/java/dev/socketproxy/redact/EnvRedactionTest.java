package dev.socketproxy.redact;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EnvRedactionTest {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** A container inspect answer as dockerd writes it, cut down: Go escapes {@code <} and {@code &}. */
	private static final String CONTAINER = """
			{"Id":"4fa6e0f0c678","Created":"2026-12-06T19:00:00.123456789Z","Path":"/bin/sh",\
			"State":{"Status":"running","Pid":4242,"ExitCode":0},\
			"Config":{"Hostname":"4fa6e0f0c678","Env":["PATH=/usr/local/bin:/usr/bin","DB_PASSWORD=hunter2=x",\
			"EMPTY=","INHERITED","TOKEN=\\u003csecret\\u0026more\\u003e"],"Cmd":["sh","-c","sleep 1"],\
			"Labels":{"Env":"not an env","traefik.enable":"true",\
			"traefik.http.routers.web.rule":"Host(`example.com`) \\u0026\\u0026 PathPrefix(`/x`)"}},\
			"NetworkSettings":{"Networks":{"web":{"IPAddress":"172.18.0.2","Aliases":null}},"Ports":{}},\
			"SizeRw":12345678901234567890123,"Ratio":1.50,"Exponent":1E+3,"Neg":-0.0,"Flag":false,"Nothing":null}
			""";

	@Test
	void everyEnvValueIsRedactedAndNothingElseChanges() {
		String redacted = redact(CONTAINER, false);

		JsonNode expected = MAPPER.readTree(CONTAINER.replace("hunter2=x", "<redacted>")
			.replace("/usr/local/bin:/usr/bin", "<redacted>")
			.replace("\"EMPTY=\"", "\"EMPTY=<redacted>\"")
			.replace("\\u003csecret\\u0026more\\u003e", "<redacted>"));
		assertThat(MAPPER.readTree(redacted)).isEqualTo(expected);
		assertThat(fieldOrder(MAPPER.readTree(redacted))).isEqualTo(fieldOrder(MAPPER.readTree(CONTAINER)));
		assertThat(redacted).doesNotContain("hunter2", "secret", "/usr/local/bin")
			.contains("\"INHERITED\"", "12345678901234567890123", "1.50", "1E+3", "-0.0")
			.endsWith("}\n");
	}

	@Test
	void envOfServicesAndTheirPreviousSpecsIsRedactedInLists() {
		String services = """
				[{"ID":"s1","Spec":{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"nginx","Env":["A=1"]}}},\
				"PreviousSpec":{"TaskTemplate":{"ContainerSpec":{"Env":["A=0"]}}}},{"ID":"s2","Spec":{}}]""";

		String redacted = redact(services, false);

		assertThat(MAPPER.readTree(redacted)).isEqualTo(MAPPER.readTree(services.replace("A=1", "A=<redacted>")
			.replace("A=0", "A=<redacted>")));
		assertThat(redacted).doesNotEndWith("\n");
	}

	@Test
	void pluginSettingsLoseTheirValuesWhileDeclaredDefaultsStay() {
		String plugins = """
				[{"Name":"vieux/sshfs:latest","Settings":{"Env":["DEBUG=1","PASSWORD=hunter2"],"Args":[]},\
				"Config":{"Env":[{"Name":"DEBUG","Value":"0","Settable":["value"]}]}}]""";

		assertThat(MAPPER.readTree(redact(plugins, false))).isEqualTo(MAPPER.readTree(
				plugins.replace("DEBUG=1", "DEBUG=<redacted>").replace("PASSWORD=hunter2", "PASSWORD=<redacted>")));
	}

	@Test
	void configDataIsRemovedOnlyFromSpecs() {
		String config = """
				{"ID":"c1","Version":{"Index":11},"Spec":{"Name":"app.conf","Labels":{},"Data":"c2VjcmV0",\
				"Templating":{"Name":"golang"}},"Data":"kept"}""";

		String redacted = redact(config, true);

		assertThat(MAPPER.readTree(redacted)).isEqualTo(MAPPER.readTree(
				"{\"ID\":\"c1\",\"Version\":{\"Index\":11},\"Spec\":{\"Name\":\"app.conf\",\"Labels\":{},"
						+ "\"Templating\":{\"Name\":\"golang\"}},\"Data\":\"kept\"}"));
		assertThat(redact(config, false)).contains("c2VjcmV0");
	}

	@Test
	void structuredSpecDataIsRemovedWhole() {
		assertThat(redact("[{\"Spec\":{\"Data\":{\"x\":[1,2]},\"Name\":\"n\"}}]", true))
			.isEqualTo("[{\"Spec\":{\"Name\":\"n\"}}]");
	}

	@Test
	void anAnswerThatIsNotOneJsonValueIsRefused() {
		for (String answer : List.of("", "{\"Config\":{\"Env\":[\"A=1\"", "{\"Env\":[\"A=1\"]} {}", "{\"Env\":[\"A=1\"",
				"not json", "{\"a\":1,}")) {
			assertThatIllegalArgumentException().as(answer).isThrownBy(() -> redact(answer, false));
		}
	}

	private static String redact(String answer, boolean removeSpecData) {
		return new String(EnvRedaction.redact(answer.getBytes(StandardCharsets.UTF_8), removeSpecData),
				StandardCharsets.UTF_8);
	}

	/** Every field name in document order, depth first. */
	private static List<String> fieldOrder(JsonNode node) {
		List<String> names = new ArrayList<>();
		collect(node, names);
		return names;
	}

	private static void collect(JsonNode node, List<String> names) {
		if (node.isObject()) {
			node.properties().forEach((entry) -> {
				names.add(entry.getKey());
				collect(entry.getValue(), names);
			});
		}
		else if (node.isArray()) {
			node.values().forEach((element) -> collect(element, names));
		}
	}

}
