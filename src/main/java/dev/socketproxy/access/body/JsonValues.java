package dev.socketproxy.access.body;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from a {@link FoldedJson} tree. A value of the wrong JSON type would fail
 * the engine's decoder too, so it is refused rather than skipped; {@code null} and a
 * missing key read as empty.
 */
final class JsonValues {

	private JsonValues() {
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> object(Object value, String name) {
		if (value == null) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be an object");
	}

	@SuppressWarnings("unchecked")
	static List<Object> array(Object value, String name) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return (List<Object>) list;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be an array");
	}

	static String string(Object value, String name) {
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be a string");
	}

	/** The object found by following folded keys from {@code root}; empty if any is missing. */
	static Map<String, Object> objectAt(Map<String, Object> root, String... path) {
		Map<String, Object> current = root;
		for (String key : path) {
			current = object(current.get(key), key);
		}
		return current;
	}

	/**
	 * The objects holding container host settings: the top level, whose fields the engine
	 * reads into a HostConfig when no {@code HostConfig} object is given, and the
	 * {@code HostConfig} object itself.
	 */
	static List<Map<String, Object>> hostConfigs(Map<String, Object> root) {
		return List.of(root, object(root.get("hostconfig"), "HostConfig"));
	}

}
