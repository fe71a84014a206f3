package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * The {@code filters} query parameter of the engine's list, prune and events endpoints,
 * read as its {@code filters.FromJSON} reads it: an object of filter names to either
 * objects of values to booleans ({@code {"label":{"a=b":true}}}), or, in the legacy form,
 * lists of values ({@code {"label":["a=b"]}}); one form for the whole document. The
 * engine requires every {@code label} value of a list to match (it ANDs them), so adding
 * one narrows what the client's own filters select.
 */
public final class EngineFilters {

	private EngineFilters() {
	}

	/**
	 * The filters with one more {@code label} value, in the form they came in.
	 * @param filters the parameter's value, empty when there is none
	 * @param label {@code key=value}
	 * @throws InvalidBodyException if the value is not filters the engine reads
	 */
	public static String withLabel(String filters, String label) {
		Map<String, Object> document = filters.isEmpty() ? new LinkedHashMap<>()
				: new LinkedHashMap<>(JsonValues.object(parse(filters), "filters"));
		boolean legacy = legacy(document);
		Object labels = document.get("label");
		if (legacy) {
			List<Object> values = new ArrayList<>((labels == null) ? List.of() : (List<?>) labels);
			values.add(label);
			document.put("label", values);
		}
		else {
			Map<String, Object> values = new LinkedHashMap<>((labels == null) ? Map.of() : cast(labels));
			values.put(label, Boolean.TRUE);
			document.put("label", values);
		}
		return EngineJson.write(document);
	}

	private static Object parse(String filters) {
		try {
			return EngineJson.parse(filters.getBytes(StandardCharsets.UTF_8));
		}
		catch (InvalidBodyException ex) {
			throw new InvalidBodyException(ex.getMessage().replaceFirst("^(\\w+ JSON)", "$1 in filters"));
		}
	}

	/** Whether the document is in the legacy form; either way, whether it is one the engine reads. */
	private static boolean legacy(Map<String, Object> document) {
		boolean lists = false;
		boolean objects = false;
		for (Object values : document.values()) {
			if (values instanceof List<?> list) {
				lists = true;
				if (!list.stream().allMatch(String.class::isInstance)) {
					throw invalid();
				}
			}
			else if (values instanceof Map<?, ?> map) {
				objects = true;
				if (!map.values().stream().allMatch(Boolean.class::isInstance)) {
					throw invalid();
				}
			}
			else if (values != null) {
				throw invalid();
			}
		}
		if (lists && objects) {
			throw invalid();
		}
		return lists;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Object map) {
		return (Map<String, Object>) map;
	}

	private static InvalidBodyException invalid() {
		return new InvalidBodyException("malformed JSON in filters: not a map of filter values");
	}

}
