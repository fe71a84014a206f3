package dev.socketproxy.redact;

import java.io.ByteArrayOutputStream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Rewrites one engine answer token by token: every string of an {@code Env} array, at any
 * depth, becomes {@code KEY=<redacted>} (an entry without {@code =} carries no value and
 * stays), and with {@code removeSpecData} the {@code Data} field of every {@code Spec}
 * object is dropped. Everything else is copied in document order with its exact number
 * text, so the result is the same JSON less the secrets; strings may be escaped
 * differently (Go escapes {@code <}, Jackson does not), which changes no value.
 */
final class EnvRedaction {

	static final String REDACTED = "<redacted>";

	private static final JsonFactory FACTORY = new JsonFactory();

	private EnvRedaction() {
	}

	/**
	 * The redacted document, ending in a newline if the answer did.
	 * @throws IllegalArgumentException if the answer is not one well-formed JSON value
	 */
	static byte[] redact(byte[] answer, boolean removeSpecData) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(answer.length);
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), answer);
				JsonGenerator generator = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
			JsonToken first = parser.nextToken();
			if (first == null) {
				throw new IllegalArgumentException("empty answer");
			}
			copy(parser, generator, first, null, removeSpecData);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("data after the answer's JSON value");
			}
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("malformed JSON answer");
		}
		if (answer.length > 0 && answer[answer.length - 1] == '\n') {
			out.write('\n');
		}
		return out.toByteArray();
	}

	/** Copies the value starting at {@code token}; {@code name} is the field holding it, if any. */
	private static void copy(JsonParser parser, JsonGenerator generator, JsonToken token, String name,
			boolean removeSpecData) {
		switch (token) {
			case START_OBJECT -> {
				generator.writeStartObject();
				JsonToken next;
				while ((next = next(parser)) == JsonToken.PROPERTY_NAME) {
					String field = parser.currentName();
					JsonToken value = next(parser);
					if (removeSpecData && "Spec".equals(name) && "Data".equals(field)) {
						parser.skipChildren();
						continue;
					}
					generator.writeName(field);
					if ("Env".equals(field) && value == JsonToken.START_ARRAY) {
						copyEnv(parser, generator, removeSpecData);
					}
					else {
						copy(parser, generator, value, field, removeSpecData);
					}
				}
				if (next != JsonToken.END_OBJECT) {
					throw new IllegalArgumentException("malformed JSON answer");
				}
				generator.writeEndObject();
			}
			case START_ARRAY -> {
				generator.writeStartArray();
				JsonToken element;
				while ((element = next(parser)) != JsonToken.END_ARRAY) {
					copy(parser, generator, element, null, removeSpecData);
				}
				generator.writeEndArray();
			}
			// The number's own text: a conversion could change it (-0.0 becomes 0.0 as a BigDecimal).
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getString());
			default -> generator.copyCurrentEvent(parser);
		}
	}

	private static void copyEnv(JsonParser parser, JsonGenerator generator, boolean removeSpecData) {
		generator.writeStartArray();
		JsonToken element;
		while ((element = next(parser)) != JsonToken.END_ARRAY) {
			if (element == JsonToken.VALUE_STRING) {
				String entry = parser.getString();
				int equals = entry.indexOf('=');
				generator.writeString((equals >= 0) ? entry.substring(0, equals + 1) + REDACTED : entry);
			}
			else {
				copy(parser, generator, element, null, removeSpecData);
			}
		}
		generator.writeEndArray();
	}

	/** The next token inside a value: the end of the input there means the answer was cut short. */
	private static JsonToken next(JsonParser parser) {
		JsonToken token = parser.nextToken();
		if (token == null) {
			throw new IllegalArgumentException("malformed JSON answer");
		}
		return token;
	}

}
