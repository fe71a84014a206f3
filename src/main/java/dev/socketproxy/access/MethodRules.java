package dev.socketproxy.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.LegacyArguments;

/**
 * Which requests may pass: per HTTP method, regexes in RE2 syntax (the reference's Go
 * syntax) that the whole decoded path must match. RE2 matches in linear time, so no
 * path can make a rule backtrack.
 * <p>
 * Each rule is anchored as {@code ^(?:rule)$}. The reference writes {@code ^rule$},
 * which lets an alternation such as {@code /version|/info} match {@code /info/anything};
 * grouping closes that hole and changes nothing for rules without a top-level {@code |}.
 */
public final class MethodRules {

	private final Map<String, List<Pattern>> byMethod;

	private MethodRules(Map<String, List<Pattern>> byMethod) {
		this.byMethod = byMethod;
	}

	/** Compiles the rules of {@code socketproxy.allow}, see {@link #compile(String, Map)}. */
	public static MethodRules compile(Map<String, List<String>> allow) {
		return compile("socketproxy.allow", allow);
	}

	/**
	 * Compiles the rules of each method.
	 * @param key where the rules come from, named in errors, e.g. {@code socketproxy.allow}
	 * @param allow per method, the rules
	 * @throws InvalidConfigurationException for an unknown method or a rule that is not a
	 * valid RE2 expression
	 */
	public static MethodRules compile(String key, Map<String, List<String>> allow) {
		Map<String, List<Pattern>> byMethod = new LinkedHashMap<>();
		for (String method : LegacyArguments.METHODS) {
			List<String> rules = allow.get(method);
			if (rules != null && !rules.isEmpty()) {
				List<Pattern> patterns = new ArrayList<>();
				for (int i = 0; i < rules.size(); i++) {
					patterns.add(anchored(key + "[" + method + "][" + i + "]", rules.get(i)));
				}
				byMethod.put(method, List.copyOf(patterns));
			}
		}
		for (String method : allow.keySet()) {
			if (!LegacyArguments.METHODS.contains(method)) {
				throw new InvalidConfigurationException(key, method,
						"unknown HTTP method; use one of " + String.join(", ", LegacyArguments.METHODS));
			}
		}
		return new MethodRules(byMethod);
	}

	/** Judges a request by its method (case-sensitive, as HTTP defines it) and decoded path. */
	public Verdict evaluate(String method, String decodedPath) {
		List<Pattern> patterns = this.byMethod.get(method);
		if (patterns == null) {
			return Verdict.METHOD_NOT_ALLOWED;
		}
		for (Pattern pattern : patterns) {
			if (pattern.matches(decodedPath)) {
				return Verdict.ALLOWED;
			}
		}
		return Verdict.PATH_NOT_ALLOWED;
	}

	/** Method to anchored regexes, in the reference's method order, for the startup log. */
	public Map<String, List<String>> table() {
		Map<String, List<String>> table = new LinkedHashMap<>();
		this.byMethod.forEach((method, patterns) -> table.put(method, patterns.stream().map(Pattern::pattern).toList()));
		return table;
	}

	private static Pattern anchored(String key, String rule) {
		if (rule == null || rule.isEmpty()) {
			throw new InvalidConfigurationException(key, rule, "a rule must not be empty");
		}
		try {
			// Compiling the bare rule first rejects ")|(" tricks that would break out of the group.
			Pattern.compile(rule);
			return Pattern.compile("^(?:" + rule + ")$");
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidConfigurationException(key, rule, "not a valid RE2 regular expression: " + ex.getDescription());
		}
	}

	/** The outcome of {@link #evaluate}. */
	public enum Verdict {

		ALLOWED, METHOD_NOT_ALLOWED, PATH_NOT_ALLOWED

	}

}
