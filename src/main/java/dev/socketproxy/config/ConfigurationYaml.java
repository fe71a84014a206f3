package dev.socketproxy.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Name;
import org.springframework.util.unit.DataSize;

/**
 * Writes configuration as our YAML, walking record components so that every field,
 * including those added later, appears without this class knowing it. Keys are the
 * kebab-case names Spring Boot binds; every string is quoted (single quotes, so a regex
 * needs no escaping and {@code 0600} stays a string); durations and sizes are written in
 * the units the binder reads back. An unset value is written as a comment, so the output
 * read back as {@code application.yaml} binds to the same configuration.
 * <p>
 * Our own emitter, not SnakeYAML's: SnakeYAML 2.5 writes a mapping's end comments at its parent's indentation, so an unset last field's comment would land outside its record.
 */
public final class ConfigurationYaml {

	private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

	private static final long KB = 1024;

	private static final long MB = KB * 1024;

	private final StringBuilder out = new StringBuilder();

	private ConfigurationYaml() {
	}

	/** A YAML document with {@code value} (a record, map, list or scalar) under the key {@code root}. */
	public static String document(String root, Object value) {
		ConfigurationYaml yaml = new ConfigurationYaml();
		yaml.entry(0, root, tree(value));
		return yaml.out.toString();
	}

	/** Records and maps become ordered maps, collections lists, everything else a formatted scalar (or null). */
	private static Object tree(Object value) {
		if (value instanceof Record record) {
			Map<String, Object> fields = new LinkedHashMap<>();
			for (RecordComponent component : record.getClass().getRecordComponents()) {
				fields.put(key(component), tree(read(component, record)));
			}
			return fields;
		}
		if (value instanceof Map<?, ?> map) {
			// An unordered map (Map.copyOf) would print differently from run to run.
			Map<String, Object> entries = (map instanceof LinkedHashMap || map instanceof SortedMap) ? new LinkedHashMap<>()
					: new TreeMap<>();
			map.forEach((k, v) -> entries.put(String.valueOf(k), tree(v)));
			return entries;
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().map(ConfigurationYaml::tree).toList();
		}
		return (value != null) ? new Scalar(scalar(value)) : null;
	}

	private void entry(int indent, String key, Object node) {
		String prefix = " ".repeat(indent);
		String name = PLAIN_KEY.matcher(key).matches() ? key : quote("[" + key + "]");
		if (node == null) {
			this.out.append(prefix).append("# ").append(name).append(": (not set)\n");
		}
		else if (node instanceof Scalar scalar) {
			this.out.append(prefix).append(name).append(": ").append(scalar.text).append('\n');
		}
		else if (isEmpty(node)) {
			this.out.append(prefix).append(name).append(": ").append((node instanceof Map) ? "{}" : "[]").append('\n');
		}
		else {
			this.out.append(prefix).append(name).append(":\n");
			children(indent + 2, node);
		}
	}

	private void children(int indent, Object node) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, child) -> entry(indent, (String) key, child));
			return;
		}
		String prefix = " ".repeat(indent);
		for (Object item : (List<?>) node) {
			if (item == null) {
				this.out.append(prefix).append("- null\n");
			}
			else if (item instanceof Scalar scalar) {
				this.out.append(prefix).append("- ").append(scalar.text).append('\n');
			}
			else if (isEmpty(item)) {
				this.out.append(prefix).append("- ").append((item instanceof Map) ? "{}" : "[]").append('\n');
			}
			else {
				// A block item starts with "- " and its content is indented to line up after it.
				int start = this.out.length();
				children(indent + 2, item);
				this.out.replace(start, start + indent + 2, prefix + "- ");
			}
		}
	}

	private static boolean isEmpty(Object node) {
		return (node instanceof Map<?, ?> map && map.isEmpty()) || (node instanceof List<?> list && list.isEmpty());
	}

	private static String key(RecordComponent component) {
		Name name = component.getAnnotation(Name.class);
		if (name != null) {
			return name.value();
		}
		return component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static Object read(RecordComponent component, Record record) {
		try {
			component.getAccessor().setAccessible(true);
			return component.getAccessor().invoke(record);
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException("cannot read " + component, ex);
		}
	}

	private static String scalar(Object value) {
		if (value instanceof Boolean || value instanceof Number) {
			return value.toString();
		}
		if (value instanceof Duration duration) {
			return duration(duration);
		}
		if (value instanceof DataSize size) {
			return size(size);
		}
		if (value instanceof Enum<?> constant) {
			return quote(constant.name());
		}
		return quote(value.toString());
	}

	private static String duration(Duration duration) {
		if (duration.getNano() == 0) {
			return duration.getSeconds() + "s";
		}
		if (duration.getNano() % 1_000_000 == 0) {
			return duration.toMillis() + "ms";
		}
		return duration.toString();
	}

	private static String size(DataSize size) {
		long bytes = size.toBytes();
		if (bytes != 0 && bytes % MB == 0) {
			return (bytes / MB) + "MB";
		}
		if (bytes != 0 && bytes % KB == 0) {
			return (bytes / KB) + "KB";
		}
		return bytes + "B";
	}

	/**
	 * Single quotes take every printable character literally (a quote is doubled); a
	 * control character needs a double-quoted string with escapes.
	 */
	public static String quote(String text) {
		if (text.chars().noneMatch((c) -> c < 0x20 || c == 0x7f)) {
			return "'" + text.replace("'", "''") + "'";
		}
		StringBuilder quoted = new StringBuilder("\"");
		text.codePoints().forEach((c) -> {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append((char) c);
			}
			else if (c < 0x20 || c == 0x7f) {
				quoted.append(String.format("\\x%02x", c));
			}
			else {
				quoted.appendCodePoint(c);
			}
		});
		return quoted.append('"').toString();
	}

	/** A value already written as YAML. */
	private record Scalar(String text) {
	}

}
