package dev.socketproxy.access.body;

import java.util.List;
import java.util.Map;

/**
 * Typed reads from an {@link EngineJson} tree, with keys matched as Go's decoder matches
 * struct fields: case-insensitively, with Unicode case folding ({@code ſ} matches
 * {@code s}, the Kelvin sign matches {@code k}). Where two keys of one object match the
 * same field, the engine would pick one and the proxy might check the other, so that is
 * refused as ambiguous. A value of the wrong JSON type would fail the engine's decoder
 * too, so it is refused rather than skipped; {@code null} and a missing key read as empty.
 */
public final class JsonValues {

	private JsonValues() {
	}

	/** The value of the field {@code name} (as the API spells it), or {@code null}. */
	public static Object field(Map<String, Object> object, String name) {
		String wanted = fold(name);
		String found = null;
		for (String key : object.keySet()) {
			if (fold(key).equals(wanted)) {
				if (found != null) {
					throw new InvalidBodyException("ambiguous JSON: keys " + found + " and " + key + " both mean " + name);
				}
				found = key;
			}
		}
		return (found != null) ? object.get(found) : null;
	}

	/** The key as Go's decoder compares it: each character case-folded. */
	public static String fold(String key) {
		StringBuilder folded = new StringBuilder(key.length());
		key.codePoints().forEach((c) -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
		return folded.toString();
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> object(Object value, String name) {
		if (value == null) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be an object");
	}

	@SuppressWarnings("unchecked")
	public static List<Object> array(Object value, String name) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof List<?> list) {
			return (List<Object>) list;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be an array");
	}

	public static String string(Object value, String name) {
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw new InvalidBodyException("malformed JSON: " + name + " must be a string");
	}

	/** The object found by following fields from {@code root}; empty if any is missing. */
	public static Map<String, Object> objectAt(Map<String, Object> root, String... path) {
		Map<String, Object> current = root;
		for (String name : path) {
			current = object(field(current, name), name);
		}
		return current;
	}

	/**
	 * The objects holding container host settings: the top level, whose fields the engine
	 * reads into a HostConfig when no {@code HostConfig} object is given, and the
	 * {@code HostConfig} object itself.
	 */
	public static List<Map<String, Object>> hostConfigs(Map<String, Object> root) {
		return List.of(root, object(field(root, "HostConfig"), "HostConfig"));
	}

}
