package dev.socketproxy.config;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * The keys a {@code @ConfigurationProperties} record accepts, read from its components,
 * and whether a key under its prefix is one of them in any spelling Spring Boot binds:
 * kebab, camel or snake case, list indexes as {@code [0]} or {@code .0}, and for
 * environment variables {@code SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED} or the
 * legacy {@code SOCKETPROXY_CONTAINER_POLICY_REFUSE_PRIVILEGED}. Spring Boot ignores a
 * key that matches no component, so a misspelt security switch would silently stay off;
 * this tells it apart and names the nearest real key. Keys below a map are the map's
 * own keys (HTTP methods), so nothing below a map is unknown.
 */
final class KnownKeys {

	/** How a key is written, which decides how Spring Boot splits it into elements. */
	enum Spelling {

		/** Dotted, as in YAML, {@code --key=value} arguments and system properties. */
		PROPERTY,

		/** An environment variable: {@code _} between elements, any case. */
		ENVIRONMENT_VARIABLE

	}

	private final String prefix;

	private final Node root;

	private final List<KeyPath> paths;

	private KnownKeys(String prefix, Node root) {
		this.prefix = prefix;
		this.root = root;
		List<KeyPath> paths = new ArrayList<>();
		collectPaths(root, List.of(), paths);
		this.paths = List.copyOf(paths);
	}

	/**
	 * The keys of {@code type} under its {@code @ConfigurationProperties} prefix, plus
	 * {@code extraKeys}: full keys that other parts of the configuration read although
	 * the record has no component for them.
	 */
	static KnownKeys of(Class<? extends Record> type, String... extraKeys) {
		String prefix = MergedAnnotations.from(type).get(ConfigurationProperties.class).getString("prefix");
		Map<String, Field> children = new LinkedHashMap<>(fields(type).children());
		for (String extraKey : extraKeys) {
			String name = extraKey.substring(prefix.length() + 1);
			children.put(uniform(name), new Field(name, new Value()));
		}
		return new KnownKeys(prefix, new Fields(Collections.unmodifiableMap(children)));
	}

	/** Whether {@code key} lies under the prefix, i.e. is this record's to judge. */
	boolean isUnderPrefix(String key, Spelling spelling) {
		return startsWithPrefix(tokens(key, spelling));
	}

	/** Whether {@code key}, under the prefix, names no setting in the way it is spelled. */
	boolean isUnknown(String key, Spelling spelling) {
		return isUnderPrefix(key, spelling) && !accepts(this.root, tokens(key, spelling), 1, false)
				&& !(isVariableForm(key, spelling) && acceptsLegacy(key));
	}

	/** The valid key nearest to {@code key} by edit distance, spelled the same way. */
	String nearest(String key, Spelling spelling) {
		List<Token> tokens = tokens(key, spelling);
		List<Token> relative = tokens.subList(Math.min(1, tokens.size()), tokens.size());
		String written = joinedNames(relative);
		KeyPath nearest = this.paths.stream()
			.min(Comparator.comparingInt((KeyPath path) -> EditDistance.between(written, path.joinedNames())))
			.orElseThrow();
		List<String> indexes = relative.stream().filter(Token::index).map(Token::text).toList();
		return isVariableForm(key, spelling) ? nearest.asEnvironmentVariable(this.prefix, indexes)
				: nearest.asProperty(this.prefix, indexes);
	}

	/**
	 * Spring Boot splits a variable at {@code _}, unless it holds a dot: then it reads it
	 * as a dotted key, as relaxed as in a YAML file.
	 */
	private static boolean isVariableForm(String key, Spelling spelling) {
		return spelling == Spelling.ENVIRONMENT_VARIABLE && key.indexOf('.') < 0;
	}

	private static List<Token> tokens(String key, Spelling spelling) {
		ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, isVariableForm(key, spelling) ? '_' : '.');
		List<Token> tokens = new ArrayList<>();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			String uniform = name.getElement(i, Form.UNIFORM);
			tokens.add(new Token(uniform.toLowerCase(Locale.ROOT), name.isNumericIndex(i) || isNumber(uniform)));
		}
		return tokens;
	}

	private boolean startsWithPrefix(List<Token> tokens) {
		return !tokens.isEmpty() && !tokens.get(0).index() && tokens.get(0).text().equals(uniform(this.prefix));
	}

	/**
	 * The legacy variable form replaces every dash of the canonical name with {@code _},
	 * and Spring Boot looks it up only all upper or all lower case.
	 */
	private boolean acceptsLegacy(String key) {
		if (!key.equals(key.toUpperCase(Locale.ROOT)) && !key.equals(key.toLowerCase(Locale.ROOT))) {
			return false;
		}
		List<Token> tokens = Arrays.stream(key.toLowerCase(Locale.ROOT).split("_", -1))
			.map((part) -> new Token(part, isNumber(part)))
			.toList();
		return startsWithPrefix(tokens) && accepts(this.root, tokens, 1, true);
	}

	private static boolean accepts(Node node, List<Token> tokens, int at, boolean legacy) {
		if (at == tokens.size() || node instanceof Entries) {
			return true;
		}
		Token token = tokens.get(at);
		if (node instanceof Items items) {
			return token.index() && accepts(items.element(), tokens, at + 1, legacy);
		}
		if (!(node instanceof Fields fields)) {
			return false;
		}
		if (!legacy) {
			Field field = fields.children().get(token.text());
			return field != null && accepts(field.node(), tokens, at + 1, false);
		}
		for (Field field : fields.children().values()) {
			List<String> words = List.of(field.name().split("-"));
			if (at + words.size() <= tokens.size()
					&& tokens.subList(at, at + words.size()).stream().map(Token::text).toList().equals(words)
					&& accepts(field.node(), tokens, at + words.size(), true)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isNumber(String text) {
		return !text.isEmpty() && text.chars().allMatch((ch) -> ch >= '0' && ch <= '9');
	}

	private static String uniform(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private static String joinedNames(List<Token> tokens) {
		return tokens.stream().filter((token) -> !token.index()).map(Token::text).reduce("", String::concat);
	}

	private static Node node(Type type) {
		if (type instanceof Class<?> plain && plain.isRecord()) {
			return fields(plain);
		}
		if (type instanceof Class<?> plain && plain.isArray()) {
			return new Items(node(plain.getComponentType()));
		}
		if (type instanceof GenericArrayType array) {
			return new Items(node(array.getGenericComponentType()));
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			if (Map.class.isAssignableFrom(raw)) {
				return new Entries();
			}
			if (Collection.class.isAssignableFrom(raw)) {
				return new Items(node(parameterized.getActualTypeArguments()[0]));
			}
		}
		return new Value();
	}

	private static Fields fields(Class<?> record) {
		Map<String, Field> children = new LinkedHashMap<>();
		for (RecordComponent component : record.getRecordComponents()) {
			String dashed = component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
			children.put(uniform(dashed), new Field(dashed, node(component.getGenericType())));
		}
		return new Fields(Collections.unmodifiableMap(children));
	}

	/** Every key that can hold a value: scalars, lists of scalars and maps, through list items. */
	private static void collectPaths(Node node, List<String> path, List<KeyPath> into) {
		if (node instanceof Fields fields) {
			fields.children().values().forEach((field) -> collectPaths(field.node(), append(path, field.name()), into));
		}
		else if (node instanceof Items items && items.element() instanceof Fields) {
			collectPaths(items.element(), append(path, KeyPath.INDEX), into);
		}
		else {
			into.add(new KeyPath(List.copyOf(path)));
		}
	}

	private static List<String> append(List<String> path, String element) {
		List<String> longer = new ArrayList<>(path);
		longer.add(element);
		return longer;
	}

	private sealed interface Node permits Fields, Items, Entries, Value {

	}

	/** A record: its components by uniform name. */
	private record Fields(Map<String, Field> children) implements Node {

	}

	/** A list or array: an index, then the element. */
	private record Items(Node element) implements Node {

	}

	/** A map: any key below it is the map's. */
	private record Entries() implements Node {

	}

	/** A scalar: nothing below it. */
	private record Value() implements Node {

	}

	/** A record component: its name in kebab case and what it holds. */
	private record Field(String name, Node node) {

	}

	/** One element of a written key, its letters and digits in lower case; an index is a list position. */
	private record Token(String text, boolean index) {

	}

	/** A valid key below the prefix: kebab-case names and list positions. */
	private record KeyPath(List<String> elements) {

		static final String INDEX = "[]";

		String joinedNames() {
			return this.elements.stream().filter((element) -> !element.equals(INDEX)).map(KnownKeys::uniform)
				.reduce("", String::concat);
		}

		String asProperty(String prefix, List<String> indexes) {
			StringBuilder key = new StringBuilder(prefix);
			int used = 0;
			for (String element : this.elements) {
				if (element.equals(INDEX)) {
					key.append('[').append((used < indexes.size()) ? indexes.get(used++) : "0").append(']');
				}
				else {
					key.append('.').append(element);
				}
			}
			return key.toString();
		}

		String asEnvironmentVariable(String prefix, List<String> indexes) {
			StringBuilder key = new StringBuilder(uniform(prefix));
			int used = 0;
			for (String element : this.elements) {
				key.append('_').append(element.equals(INDEX) ? ((used < indexes.size()) ? indexes.get(used++) : "0")
						: uniform(element));
			}
			return key.toString().toUpperCase(Locale.ROOT);
		}

	}

}
