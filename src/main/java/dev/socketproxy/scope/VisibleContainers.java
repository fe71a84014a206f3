package dev.socketproxy.scope;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.scope.EngineObject.Kind;

/**
 * What a {@code visible-containers} scope leaves of the engine's container list and event
 * stream: only the visible containers, and only the events of visible containers (a
 * network event that names a container only if it is visible; other events pass).
 */
final class VisibleContainers {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ObjectScope scope;

	private final EngineObjects objects;

	VisibleContainers(ObjectScope scope, EngineObjects objects) {
		this.scope = scope;
		this.objects = objects;
	}

	/**
	 * The answer of {@code GET /containers/json} with only the visible containers, each
	 * copied byte for byte, ending in a newline if the answer did.
	 * @throws IllegalArgumentException if the answer is not one JSON array of objects
	 */
	byte[] list(byte[] answer) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length);
		out.write('[');
		try (JsonParser parser = JSON.createParser(answer)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				throw new IllegalArgumentException("answer not a list");
			}
			boolean first = true;
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				int start = (int) parser.currentTokenLocation().getByteOffset();
				JsonNode container = parser.readValueAsTree();
				int end = (int) parser.currentLocation().getByteOffset();
				List<String> names = new ArrayList<>();
				container.path("Names").forEach((name) -> names.add(name.asString("")));
				if (this.scope.shows(names, EngineLookup.labels(container.path("Labels")))) {
					if (!first) {
						out.write(',');
					}
					out.write(answer, start, end - start);
					first = false;
				}
			}
			if (parser.currentToken() != JsonToken.END_ARRAY || parser.nextToken() != null) {
				throw new IllegalArgumentException("malformed JSON answer");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("malformed JSON answer");
		}
		out.write(']');
		if (answer.length > 0 && answer[answer.length - 1] == '\n') {
			out.write('\n');
		}
		return out.toByteArray();
	}

	/**
	 * Whether one line of the event stream may pass: a container event if its actor is
	 * visible (the engine gives its name and labels as attributes), a network event if the
	 * container it names is (looked up; one the engine no longer knows is not), any other
	 * event. A line that is no event object does not pass.
	 */
	Mono<Boolean> shows(String line) {
		JsonNode event;
		try {
			event = JSON.readTree(line);
		}
		catch (JacksonException ex) {
			return Mono.just(false);
		}
		if (!event.isObject()) {
			return Mono.just(false);
		}
		JsonNode attributes = event.path("Actor").path("Attributes");
		switch (event.path("Type").asString("")) {
			case "container" -> {
				Map<String, String> labels = EngineLookup.labels(attributes);
				return Mono.just(this.scope.shows(List.of(labels.getOrDefault("name", "")), labels));
			}
			case "network" -> {
				String container = attributes.path("container").asString("");
				if (container.isEmpty()) {
					return Mono.just(true);
				}
				return this.objects.find(Kind.CONTAINER, container)
					.map((found) -> found.filter((c) -> this.scope.shows(c.names(), c.labels())).isPresent())
					.onErrorReturn(false);
			}
			case "" -> {
				return Mono.just(false);
			}
			default -> {
				return Mono.just(true);
			}
		}
	}

}
