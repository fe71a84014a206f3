package dev.socketproxy.access.body;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A JSON document read strictly, for checking what Docker's Go decoder will make of it.
 * Go lets the last of duplicate keys win; here a duplicate key is refused as ambiguous.
 * Go reads only the first value of a body and ignores what follows; here anything but
 * whitespace after it is refused. Escapes ({@code \u0050rivileged}) are decoded, so keys
 * are compared as the engine compares them ({@link JsonValues#field} also folds case).
 * <p>
 * Objects become {@code Map<String, Object>} in document order, arrays
 * {@code List<Object>}, and scalars {@code String}, {@code Boolean}, {@code Number} or
 * {@code null}; {@link #write} writes such a tree back.
 */
public final class EngineJson {

	private static final JsonFactory FACTORY = new JsonFactory();

	private EngineJson() {
	}

	/**
	 * Parses a whole body.
	 * @throws InvalidBodyException if the body is not one well-formed, unambiguous JSON value
	 */
	public static Object parse(byte[] body) {
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), body)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw new InvalidBodyException("malformed JSON: empty body");
			}
			Object value = read(parser, first);
			if (parser.nextToken() != null) {
				throw new InvalidBodyException("malformed JSON: data after the first value");
			}
			return value;
		}
		catch (JacksonException ex) {
			String message = ex.getOriginalMessage();
			int detail = message.indexOf(": ");
			throw new InvalidBodyException("malformed JSON: " + ((detail > 0) ? message.substring(0, detail) : message));
		}
	}

	/** A tree as {@link #parse} makes them, written as compact JSON in its maps' order. */
	public static String write(Object value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
			write(generator, value);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	private static void write(JsonGenerator generator, Object value) {
		if (value instanceof Map<?, ?> map) {
			generator.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				generator.writeName((String) entry.getKey());
				write(generator, entry.getValue());
			}
			generator.writeEndObject();
		}
		else if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (Object element : list) {
				write(generator, element);
			}
			generator.writeEndArray();
		}
		else if (value instanceof Boolean bool) {
			generator.writeBoolean(bool);
		}
		else if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Number number) {
			generator.writeNumber(number.toString());
		}
		else {
			generator.writeNull();
		}
	}

	private static Object read(JsonParser parser, JsonToken token) {
		return switch (token) {
			case START_OBJECT -> readObject(parser);
			case START_ARRAY -> readArray(parser);
			case VALUE_STRING -> parser.getString();
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
			case VALUE_TRUE -> Boolean.TRUE;
			case VALUE_FALSE -> Boolean.FALSE;
			case VALUE_NULL -> null;
			default -> throw new InvalidBodyException("malformed JSON: unexpected " + token);
		};
	}

	private static Map<String, Object> readObject(JsonParser parser) {
		Map<String, Object> object = new LinkedHashMap<>();
		JsonToken token;
		while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			if (object.containsKey(name)) {
				throw new InvalidBodyException("ambiguous JSON: duplicate key " + name);
			}
			object.put(name, read(parser, parser.nextToken()));
		}
		if (token != JsonToken.END_OBJECT) {
			throw new InvalidBodyException("malformed JSON: unexpected " + token);
		}
		return object;
	}

	private static List<Object> readArray(JsonParser parser) {
		List<Object> array = new ArrayList<>();
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			if (token == null) {
				throw new InvalidBodyException("malformed JSON: unterminated array");
			}
			array.add(read(parser, token));
		}
		return array;
	}

}
