package dev.socketproxy.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginTrackedValue;

/**
 * Translates the reference proxy's command-line flags ({@code -allowGET=...},
 * {@code -proxyport=...}) and its {@code SP_*} environment variables into our
 * {@code socketproxy.*} properties, so an existing compose file works unchanged.
 * <p>
 * Unlike the reference, a value that does not parse is an error, never silently
 * ignored. Arguments of the form {@code --some.property=value} that are not reference
 * flags are left for Spring Boot.
 */
public final class LegacyArguments {

	private static final String ENV_PREFIX = "SP_";

	private static final String ENV_ALLOW_PREFIX = "SP_ALLOW_";

	private static final Map<String, Option> OPTIONS = options();

	private final Map<String, Object> flagProperties;

	private final Map<String, Object> environmentProperties;

	private final List<String> springArguments;

	private LegacyArguments(Map<String, Object> flagProperties, Map<String, Object> environmentProperties,
			List<String> springArguments) {
		this.flagProperties = flagProperties;
		this.environmentProperties = environmentProperties;
		this.springArguments = springArguments;
	}

	/**
	 * Parses the reference's flags from {@code args} and its variables from {@code env}.
	 * @throws InvalidConfigurationException naming the flag or variable that is wrong
	 */
	public static LegacyArguments parse(String[] args, Map<String, String> env) {
		List<String> springArguments = new ArrayList<>();
		Map<String, Object> flags = parseFlags(args, springArguments);
		Map<String, Object> environment = parseEnvironment(env);
		return new LegacyArguments(flags, environment, List.copyOf(springArguments));
	}

	/** Properties set by reference-style flags; they win over every other source but {@code --property=} arguments. */
	public Map<String, Object> flagProperties() {
		return this.flagProperties;
	}

	/** Properties set by {@code SP_*} variables; they win over YAML files and lose to flags. */
	public Map<String, Object> environmentProperties() {
		return this.environmentProperties;
	}

	/** The arguments that are not reference flags, for Spring Boot. */
	public String[] springArguments() {
		return this.springArguments.toArray(String[]::new);
	}

	private static Map<String, Object> parseFlags(String[] args, List<String> springArguments) {
		Map<String, List<String>> rulesByMethod = new LinkedHashMap<>();
		Map<String, Object> properties = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (!arg.startsWith("-") || arg.equals("-") || arg.equals("--")) {
				throw new InvalidConfigurationException("argument", arg,
						"unexpected argument; flags start with '-', e.g. -watchdoginterval=3600");
			}
			String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
			int equals = body.indexOf('=');
			String name = (equals >= 0) ? body.substring(0, equals) : body;
			Option option = OPTIONS.get(name);
			if (option == null) {
				if (arg.startsWith("--") && name.contains(".")) {
					springArguments.add(arg);
					continue;
				}
				throw new InvalidConfigurationException("-" + name, (equals >= 0) ? body.substring(equals + 1) : null,
						"unknown flag");
			}
			String value;
			if (equals >= 0) {
				value = body.substring(equals + 1);
			}
			else if (option.kind == Kind.BOOLEAN) {
				value = "true";
			}
			else if (i + 1 < args.length) {
				value = args[++i];
			}
			else {
				throw new InvalidConfigurationException("-" + name, null, "flag needs a value");
			}
			Origin origin = new Source("command-line flag -" + name);
			if (option.kind == Kind.METHOD_RULE) {
				rulesByMethod.computeIfAbsent(option.method, (method) -> new ArrayList<>()).add(value);
			}
			else {
				properties.put(option.property, OriginTrackedValue.of(option.convert("-" + name, value), origin));
			}
		}
		rulesByMethod.forEach((method, rules) -> putRules(properties, method, rules, "command-line flag -allow" + method));
		return properties;
	}

	private static Map<String, Object> parseEnvironment(Map<String, String> env) {
		Map<String, Object> properties = new LinkedHashMap<>();
		Map<String, TreeMap<String, String>> rulesByMethod = new TreeMap<>();
		for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
			String name = entry.getKey();
			String value = entry.getValue();
			if (!name.startsWith(ENV_PREFIX) || value == null || value.isEmpty()) {
				continue;
			}
			if (name.startsWith(ENV_ALLOW_PREFIX)) {
				String methodAndSuffix = name.substring(ENV_ALLOW_PREFIX.length());
				int underscore = methodAndSuffix.indexOf('_');
				String method = (underscore >= 0) ? methodAndSuffix.substring(0, underscore) : methodAndSuffix;
				String suffix = (underscore >= 0) ? methodAndSuffix.substring(underscore + 1) : "";
				if (!AccessRules.METHODS.contains(method)) {
					throw new InvalidConfigurationException(name, value,
							"unknown HTTP method '" + method + "'; use one of " + String.join(", ", AccessRules.METHODS));
				}
				rulesByMethod.computeIfAbsent(method, (m) -> new TreeMap<>(SUFFIX_ORDER)).put(suffix, value);
				continue;
			}
			Option option = OPTIONS.get(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT));
			if (option == null || option.kind == Kind.METHOD_RULE
					|| !name.equals(ENV_PREFIX + name.substring(ENV_PREFIX.length()).toUpperCase(Locale.ROOT))) {
				throw new InvalidConfigurationException(name, value, "unknown SP_ environment variable");
			}
			properties.put(option.property,
					OriginTrackedValue.of(option.convert(name, value), new Source("environment variable " + name)));
		}
		rulesByMethod.forEach((method, rules) -> putRules(properties, method, new ArrayList<>(rules.values()),
				"environment variable SP_ALLOW_" + method));
		return properties;
	}

	/** {@code SP_ALLOW_GET} first, then numeric suffixes in numeric order, then the rest by name. */
	private static final Comparator<String> SUFFIX_ORDER = Comparator.comparing((String s) -> !s.isEmpty())
		.thenComparing((String s) -> !s.chars().allMatch(Character::isDigit))
		.thenComparing((String s) -> s.chars().allMatch(Character::isDigit) && !s.isEmpty() ? Long.parseLong(s) : 0L)
		.thenComparing(Comparator.naturalOrder());

	/** Rules of one method as indexed {@code socketproxy.allow} properties, all from one source. */
	static void putRules(Map<String, Object> properties, String method, List<String> rules, String source) {
		for (int i = 0; i < rules.size(); i++) {
			properties.put("socketproxy.allow[" + method + "][" + i + "]",
					OriginTrackedValue.of(rules.get(i), new Source(source)));
		}
	}

	private static Map<String, Option> options() {
		Map<String, Option> options = new LinkedHashMap<>();
		options.put("allowfrom", new Option("socketproxy.allow-from", Kind.STRING, null));
		options.put("allowhealthcheck", new Option("socketproxy.allow-health-check", Kind.BOOLEAN, null));
		options.put("listenip", new Option("socketproxy.listen-ip", Kind.STRING, null));
		options.put("proxyport", new Option("socketproxy.proxy-port", Kind.UNSIGNED, null));
		options.put("logjson", new Option("socketproxy.log-json", Kind.BOOLEAN, null));
		options.put("loglevel", new Option("socketproxy.log-level", Kind.STRING, null));
		options.put("socketpath", new Option("socketproxy.socket-path", Kind.STRING, null));
		options.put("shutdowngracetime", new Option("socketproxy.shutdown-grace-time", Kind.SECONDS, null));
		options.put("watchdoginterval", new Option("socketproxy.watchdog-interval", Kind.SECONDS, null));
		options.put("stoponwatchdog", new Option("socketproxy.stop-on-watchdog", Kind.BOOLEAN, null));
		options.put("proxysocketendpoint", new Option("socketproxy.proxy-socket-endpoint", Kind.STRING, null));
		options.put("proxysocketendpointfilemode",
				new Option("socketproxy.proxy-socket-endpoint-file-mode", Kind.STRING, null));
		options.put("allowbindmountfrom", new Option("socketproxy.allow-bind-mount-from", Kind.STRING, null));
		options.put("proxycontainername", new Option("socketproxy.proxy-container-name", Kind.STRING, null));
		options.put("dockerlabelprefix", new Option("socketproxy.docker-label-prefix", Kind.STRING, null));
		// Not reference flags: presets and learn mode are ours, spelled the reference's way for one command line.
		options.put("preset", new Option(PresetTranslation.PRESET_KEY, Kind.STRING, null));
		options.put("learn", new Option("socketproxy.learn.enabled", Kind.BOOLEAN, null));
		options.put("learnfile", new Option("socketproxy.learn.file", Kind.STRING, null));
		for (String method : AccessRules.METHODS) {
			options.put("allow" + method, new Option(null, Kind.METHOD_RULE, method));
		}
		return Map.copyOf(options);
	}

	private enum Kind {

		STRING, BOOLEAN, UNSIGNED, SECONDS, METHOD_RULE

	}

	private record Option(String property, Kind kind, String method) {

		String convert(String name, String value) {
			return switch (this.kind) {
				case BOOLEAN -> Boolean.toString(parseBoolean(name, value));
				case UNSIGNED -> Long.toString(parseUnsigned(name, value));
				case SECONDS -> parseUnsigned(name, value) + "s";
				default -> value;
			};
		}

		/** Accepts exactly what Go's strconv.ParseBool accepts. */
		private static boolean parseBoolean(String name, String value) {
			return switch (value) {
				case "1", "t", "T", "true", "TRUE", "True" -> true;
				case "0", "f", "F", "false", "FALSE", "False" -> false;
				default -> throw new InvalidConfigurationException(name, value, "not a boolean (use true or false)");
			};
		}

		private static long parseUnsigned(String name, String value) {
			try {
				long parsed = Long.parseLong(value);
				if (parsed >= 0 && parsed <= Integer.MAX_VALUE) {
					return parsed;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new InvalidConfigurationException(name, value, "not a whole number from 0 to " + Integer.MAX_VALUE);
		}

	}

	/** Where a legacy value came from, shown in configuration error lines. */
	record Source(String description) implements Origin {

		@Override
		public String toString() {
			return this.description;
		}

	}

}
