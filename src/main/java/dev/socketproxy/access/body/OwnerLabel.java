package dev.socketproxy.access.body;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Adds one label to what the engine reads as an object's labels, overwriting a value the
 * client gave for that key: the top-level {@code Labels} of a container, network or
 * volume create body, and the {@code labels} JSON of a build's query. Only the labels
 * change: the rest of a body stays byte for byte. The engine matches {@code Labels}
 * case-insensitively, as {@link JsonValues#field} does, so two spellings of it are refused.
 */
public final class OwnerLabel {

	private static final JsonFactory FACTORY = new JsonFactory();

	private final String key;

	private final String value;

	public OwnerLabel(String key, String value) {
		this.key = key;
		this.value = value;
	}

	/**
	 * A create body with the label.
	 * @param body the body as received, already judged
	 * @param json the body as {@link EngineJson#parse} read it, {@code null} for an empty body
	 * @throws InvalidBodyException if the body is no object, or its labels no object of strings
	 */
	public byte[] body(byte[] body, Object json) {
		if (json == null) {
			// An empty (or null) body creates an object without labels.
			return ("{\"Labels\":" + labels(Map.of()) + "}").getBytes(StandardCharsets.UTF_8);
		}
		Map<String, Object> root = JsonValues.object(json, "body");
		Map<String, String> labels = strings(JsonValues.field(root, "Labels"), "Labels");
		byte[] labelled = splice(body, root.isEmpty(), labels(labels).getBytes(StandardCharsets.UTF_8));
		// Verifies the splice as the engine will read it, rather than trusting the offsets.
		Map<String, Object> check = JsonValues.object(EngineJson.parse(labelled), "body");
		if (!this.value.equals(strings(JsonValues.field(check, "Labels"), "Labels").get(this.key))) {
			throw new InvalidBodyException("malformed JSON: labels not found");
		}
		return labelled;
	}

	/**
	 * A build's {@code labels} parameter with the label.
	 * @param labels the parameter's value, empty when there is none
	 * @throws InvalidBodyException if it is not a JSON object of strings
	 */
	public String query(String labels) {
		Map<String, String> given = labels.isEmpty() ? Map.of()
				: strings(EngineJson.parse(labels.getBytes(StandardCharsets.UTF_8)), "labels");
		return labels(given);
	}

	private String labels(Map<String, String> given) {
		Map<String, String> labels = new LinkedHashMap<>(given);
		labels.put(this.key, this.value);
		return EngineJson.write(labels);
	}

	/** The body with its top-level labels value replaced by {@code labels}, or added first. */
	private static byte[] splice(byte[] body, boolean emptyRoot, byte[] labels) {
		int start = -1;
		int end = -1;
		int rootStart;
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), body)) {
			parser.nextToken();
			rootStart = (int) parser.currentTokenLocation().getByteOffset();
			JsonToken token;
			while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
				boolean isLabels = JsonValues.fold(parser.currentName()).equals(JsonValues.fold("Labels"));
				JsonToken value = parser.nextToken();
				if (isLabels) {
					start = (int) parser.currentTokenLocation().getByteOffset();
				}
				parser.skipChildren();
				if (isLabels) {
					end = (value == JsonToken.VALUE_NULL) ? start + 4 : (int) parser.currentTokenLocation().getByteOffset() + 1;
				}
			}
			if (token != JsonToken.END_OBJECT) {
				throw new InvalidBodyException("malformed JSON: unexpected " + token);
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + labels.length + 16);
		if (start < 0) {
			out.write(body, 0, rootStart + 1);
			out.writeBytes("\"Labels\":".getBytes(StandardCharsets.UTF_8));
			out.writeBytes(labels);
			out.writeBytes(emptyRoot ? new byte[0] : new byte[] { ',' });
			out.write(body, rootStart + 1, body.length - rootStart - 1);
		}
		else {
			out.write(body, 0, start);
			out.writeBytes(labels);
			out.write(body, end, body.length - end);
		}
		return out.toByteArray();
	}

	private static Map<String, String> strings(Object value, String name) {
		Map<String, String> strings = new LinkedHashMap<>();
		for (Map.Entry<String, Object> entry : JsonValues.object(value, name).entrySet()) {
			String text = JsonValues.string(entry.getValue(), name + " value");
			if (text == null) {
				throw new InvalidBodyException("malformed JSON: " + name + " value must be a string");
			}
			strings.put(entry.getKey(), text);
		}
		return strings;
	}

}
