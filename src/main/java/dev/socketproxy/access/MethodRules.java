package dev.socketproxy.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.google.re2j.Pattern;

import dev.socketproxy.config.AccessRules;
import dev.socketproxy.config.InvalidConfigurationException;

/**
 * Which requests may pass: per HTTP method, regexes in RE2 syntax (the reference's Go
 * syntax) that the whole decoded path must match. RE2 matches in linear time, so no
 * path can make a rule backtrack.
 * <p>
 * Each rule is anchored as {@code ^(?:rule)$}. The reference writes {@code ^rule$},
 * which lets an alternation such as {@code /version|/info} match {@code /info/anything};
 * grouping closes that hole and changes nothing for rules without a top-level {@code |}.
 * <p>
 * For speed, all rules of a method are also compiled into one {@link PathAutomaton}, built
 * from RE2/J's own programs of the anchored rules: it judges an ASCII path in one pass, one
 * table look-up per character, whatever the number of rules, with RE2/J's verdict. RE2/J
 * itself, rule by rule, judges paths with other characters, and every path of a method
 * whose rules have no automaton (line anchors, word boundaries, more than
 * {@value #MAX_STATES} states); the verdicts it gives for recent short paths are remembered,
 * since clients poll the same few paths and a verdict depends on nothing but the method and
 * the path. The automaton's verdicts are not: looking a path up costs about as much as the
 * automaton, since each request's path is a new string whose hash is not computed yet.
 */
public final class MethodRules {

	/** About 160 rules shaped like Docker API rules, each naming another resource; at most 1 MB of table. */
	static final int MAX_STATES = 2000;

	private final Map<String, MethodPatterns> byMethod;

	private MethodRules(Map<String, MethodPatterns> byMethod) {
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
		Map<String, MethodPatterns> byMethod = new LinkedHashMap<>();
		for (String method : AccessRules.METHODS) {
			List<String> rules = allow.get(method);
			if (rules != null && !rules.isEmpty()) {
				List<Pattern> patterns = new ArrayList<>();
				for (int i = 0; i < rules.size(); i++) {
					patterns.add(AnchoredPattern.compile(key + "[" + method + "][" + i + "]", rules.get(i), "rule"));
				}
				byMethod.put(method, new MethodPatterns(patterns));
			}
		}
		for (String method : allow.keySet()) {
			if (!AccessRules.METHODS.contains(method)) {
				throw new InvalidConfigurationException(key, method,
						"unknown HTTP method; use one of " + String.join(", ", AccessRules.METHODS));
			}
		}
		return new MethodRules(byMethod);
	}

	/**
	 * Checks one rule as {@link #compile} would, without compiling a whole rule set.
	 * @param key where the rule comes from, named in the error
	 * @throws InvalidConfigurationException if the rule is empty or not a valid RE2 expression
	 */
	public static void requireValidRule(String key, String rule) {
		AnchoredPattern.compile(key, rule, "rule");
	}

	/** Judges a request by its method (case-sensitive, as HTTP defines it) and decoded path. */
	public Verdict evaluate(String method, String decodedPath) {
		MethodPatterns patterns = this.byMethod.get(method);
		if (patterns == null) {
			return Verdict.METHOD_NOT_ALLOWED;
		}
		return patterns.allows(decodedPath) ? Verdict.ALLOWED : Verdict.PATH_NOT_ALLOWED;
	}

	/** Method to anchored regexes, in the reference's method order, for the startup log. */
	public Map<String, List<String>> table() {
		Map<String, List<String>> table = new LinkedHashMap<>();
		this.byMethod.forEach((method, patterns) -> table.put(method, patterns.anchored()));
		return table;
	}

	/**
	 * The anchored rules of one method, and their automaton if they have one. RE2/J's verdicts
	 * for paths up to {@value #REMEMBERED_PATH_LENGTH} characters are remembered; the memory
	 * is emptied when it holds {@value #REMEMBERED_PATHS} paths, so a client sending ever new
	 * paths costs one match each, as without it, and at most about a megabyte.
	 */
	private static final class MethodPatterns {

		private static final int REMEMBERED_PATHS = 4096;

		private static final int REMEMBERED_PATH_LENGTH = 256;

		private final List<Pattern> rules;

		/** Null when the rules have none: then RE2/J judges every path. */
		private final PathAutomaton automaton;

		private final ConcurrentHashMap<String, Boolean> verdicts = new ConcurrentHashMap<>();

		MethodPatterns(List<Pattern> rules) {
			this.rules = List.copyOf(rules);
			this.automaton = PathAutomaton.of(this.rules, MAX_STATES).orElse(null);
		}

		boolean allows(String path) {
			if (this.automaton != null) {
				PathAutomaton.Outcome outcome = this.automaton.match(path);
				if (outcome != PathAutomaton.Outcome.NOT_ASCII) {
					return outcome == PathAutomaton.Outcome.MATCH;
				}
			}
			if (path.length() > REMEMBERED_PATH_LENGTH) {
				return anyMatches(path);
			}
			Boolean known = this.verdicts.get(path);
			if (known != null) {
				return known;
			}
			boolean allowed = anyMatches(path);
			if (this.verdicts.size() >= REMEMBERED_PATHS) {
				this.verdicts.clear();
			}
			this.verdicts.put(path, allowed);
			return allowed;
		}

		private boolean anyMatches(String path) {
			for (Pattern rule : this.rules) {
				if (rule.matches(path)) {
					return true;
				}
			}
			return false;
		}

		List<String> anchored() {
			return this.rules.stream().map(Pattern::pattern).toList();
		}

	}

	/** The outcome of {@link #evaluate}. */
	public enum Verdict {

		ALLOWED, METHOD_NOT_ALLOWED, PATH_NOT_ALLOWED

	}

}
