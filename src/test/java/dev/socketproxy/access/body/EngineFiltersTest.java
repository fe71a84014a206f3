package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import dev.socketproxy.access.RefusalReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EngineFiltersTest {

	private static final String OWNER = "socket-proxy.owner=tenant-a";

	@Test
	void theOwnerIsAddedToTheClientsFiltersInTheirForm() {
		assertThat(EngineFilters.withLabel("", OWNER)).isEqualTo("{\"label\":{\"socket-proxy.owner=tenant-a\":true}}");
		assertThat(EngineFilters.withLabel("{}", OWNER)).isEqualTo("{\"label\":{\"socket-proxy.owner=tenant-a\":true}}");
		assertThat(EngineFilters.withLabel("null", OWNER)).isEqualTo("{\"label\":{\"socket-proxy.owner=tenant-a\":true}}");
		assertThat(EngineFilters.withLabel("{\"status\":{\"running\":true},\"label\":{\"app=web\":true}}", OWNER))
			.isEqualTo("{\"status\":{\"running\":true},\"label\":{\"app=web\":true,\"socket-proxy.owner=tenant-a\":true}}");
		assertThat(EngineFilters.withLabel("{\"name\":[\"web\"]}", OWNER))
			.isEqualTo("{\"name\":[\"web\"],\"label\":[\"socket-proxy.owner=tenant-a\"]}");
		assertThat(EngineFilters.withLabel("{\"label\":[\"app=web\"],\"x\":null}", OWNER))
			.isEqualTo("{\"label\":[\"app=web\",\"socket-proxy.owner=tenant-a\"],\"x\":null}");
		assertThat(EngineFilters.withLabel("{\"label\":{\"socket-proxy.owner=tenant-b\":false}}", OWNER))
			.isEqualTo("{\"label\":{\"socket-proxy.owner=tenant-b\":false,\"socket-proxy.owner=tenant-a\":true}}");
	}

	@Test
	void filtersTheEngineWouldNotReadAreRefused() {
		for (String filters : List.of("label=x", "{\"label\":{\"a\":1}}", "{\"label\":[1]}", "{\"a\":[\"x\"],\"b\":{\"y\":true}}",
				"{\"label\":\"x\"}", "[]", "{\"label\":{},\"label\":{}}", "{} {}")) {
			assertThatExceptionOfType(InvalidBodyException.class).as(filters)
				.isThrownBy(() -> EngineFilters.withLabel(filters, OWNER))
				.satisfies((ex) -> assertThat(ex.getMessage()).contains("filters"))
				.satisfies((ex) -> assertThat(RefusalReason.of(ex.getMessage())).isNotEqualTo(RefusalReason.OTHER));
		}
	}

	@Property(tries = 200)
	void everyLabelTheClientGaveIsKeptBesideTheOwner(@ForAll List<String> labels, @ForAll boolean legacy) {
		Map<String, Object> filters = Map.of("label", legacy ? labels
				: labels.stream().distinct().collect(Collectors.toMap((l) -> l, (l) -> true)));
		Object document = EngineJson.parse(EngineFilters.withLabel(EngineJson.write(filters), OWNER)
			.getBytes(StandardCharsets.UTF_8));

		Object values = JsonValues.object(document, "filters").get("label");
		if (legacy) {
			List<Object> merged = JsonValues.array(values, "label");
			assertThat(merged.subList(0, labels.size())).isEqualTo(labels);
			assertThat(merged.get(labels.size())).isEqualTo(OWNER);
		}
		else {
			assertThat(JsonValues.object(values, "label").keySet().containsAll(labels)).isTrue();
			assertThat(JsonValues.object(values, "label")).containsEntry(OWNER, true);
		}
	}

}
