package dev.socketproxy.scope;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.web.util.UriUtils;

import dev.socketproxy.labels.DockerEngine;
import dev.socketproxy.scope.EngineObject.Kind;

/**
 * {@link EngineObjects} by asking the engine each time, with the inspect call of each
 * kind: the engine resolves the reference exactly as it would for the request. An exec
 * is found with its container, whose names and labels decide for it.
 */
final class EngineLookup implements EngineObjects {

	private final DockerEngine engine;

	EngineLookup(DockerEngine engine) {
		this.engine = engine;
	}

	@Override
	public Mono<Optional<EngineObject>> find(Kind kind, String reference) {
		String ref = UriUtils.encodePath(reference, StandardCharsets.UTF_8);
		return switch (kind) {
			case CONTAINER -> this.engine.inspect("/containers/" + ref + "/json").map((found) -> found.map(EngineLookup::container));
			case EXEC -> this.engine.inspect("/exec/" + ref + "/json").flatMap((found) -> {
				if (found.isEmpty()) {
					return Mono.just(Optional.<EngineObject>empty());
				}
				String execId = found.get().path("ID").asString("");
				String containerId = found.get().path("ContainerID").asString("");
				if (containerId.isEmpty()) {
					return Mono.just(Optional.<EngineObject>empty());
				}
				return find(Kind.CONTAINER, containerId).map((container) -> container
					.map((c) -> new EngineObject(Kind.EXEC, execId, c.names(), c.labels(), c.id())));
			});
			case NETWORK -> this.engine.inspect("/networks/" + ref)
				.map((found) -> found.map((node) -> new EngineObject(Kind.NETWORK, node.path("Id").asString(""),
						List.of(node.path("Name").asString("")), labels(node.path("Labels")), null)));
			case VOLUME -> this.engine.inspect("/volumes/" + ref)
				.map((found) -> found.map((node) -> new EngineObject(Kind.VOLUME, node.path("Name").asString(""),
						List.of(node.path("Name").asString("")), labels(node.path("Labels")), null)));
			case IMAGE -> this.engine.inspect("/images/" + ref + "/json")
				.map((found) -> found.map((node) -> new EngineObject(Kind.IMAGE, node.path("Id").asString(""),
						strings(node.path("RepoTags")), labels(node.path("Config").path("Labels")), null)));
		};
	}

	private static EngineObject container(JsonNode node) {
		return new EngineObject(Kind.CONTAINER, node.path("Id").asString(""), List.of(node.path("Name").asString("")),
				labels(node.path("Config").path("Labels")), null);
	}

	private static List<String> strings(JsonNode array) {
		List<String> strings = new ArrayList<>();
		array.forEach((element) -> strings.add(element.asString("")));
		return strings;
	}

	/** A labels object; {@code null} (no labels) is an empty map. */
	static Map<String, String> labels(JsonNode labels) {
		Map<String, String> map = new LinkedHashMap<>();
		labels.properties().forEach((label) -> map.put(label.getKey(), label.getValue().asString("")));
		return map;
	}

}
