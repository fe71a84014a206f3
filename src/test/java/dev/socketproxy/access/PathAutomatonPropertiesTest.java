package dev.socketproxy.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.re2j.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import dev.socketproxy.access.MethodRules.Verdict;
import dev.socketproxy.access.PathAutomaton.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For generated Docker-shaped rule sets and paths, the automaton and {@link MethodRules} give
 * exactly RE2/J's verdict, each anchored rule tried in turn. Each generated rule comes with a
 * text built beside it that is meant to match, so that allowed paths are not rare; the paths
 * tried are those texts, variations of them, and arbitrary ones.
 */
class PathAutomatonPropertiesTest {

	@Property(tries = 1500)
	void judgesEveryPathAsRE2JDoesRuleByRule(@ForAll("ruleSets") List<Sample> rules, @ForAll("paths") List<String> paths) {
		List<String> regexes = rules.stream().map(Sample::regex).toList();
		List<Pattern> anchored = regexes.stream().map((rule) -> Pattern.compile("^(?:" + rule + ")$")).toList();
		MethodRules methodRules = MethodRules.compile(Map.of("GET", regexes));
		Optional<PathAutomaton> automaton = PathAutomaton.of(anchored, MethodRules.MAX_STATES);
		Statistics.label("automaton built").collect(automaton.isPresent());

		for (String path : candidates(rules, paths)) {
			boolean expected = anchored.stream().anyMatch((rule) -> rule.matches(path));
			assertThat(methodRules.evaluate("GET", path)).as("%s on %s", regexes, path)
				.isEqualTo(expected ? Verdict.ALLOWED : Verdict.PATH_NOT_ALLOWED);
			automaton.ifPresent((built) -> {
				Outcome outcome = built.match(path);
				Statistics.label("outcome").collect(outcome);
				if (path.chars().allMatch((c) -> c < 128)) {
					assertThat(outcome).as("%s on %s", regexes, path).isEqualTo(expected ? Outcome.MATCH : Outcome.NO_MATCH);
				}
				else if (outcome == Outcome.NO_MATCH) {
					assertThat(expected).as("%s on %s", regexes, path).isFalse();
				}
				else {
					assertThat(outcome).isEqualTo(Outcome.NOT_ASCII);
				}
			});
		}

		Statistics.label("automaton built").coverage((coverage) -> {
			coverage.check(true).percentage((p) -> p > 70);
			coverage.check(false).percentage((p) -> p > 2);
		});
		Statistics.label("outcome").coverage((coverage) -> {
			coverage.check(Outcome.MATCH).percentage((p) -> p > 10);
			coverage.check(Outcome.NO_MATCH).percentage((p) -> p > 10);
			coverage.check(Outcome.NOT_ASCII).percentage((p) -> p > 3);
		});
	}

	/** The texts of the rules, near misses of them, and the arbitrary paths. */
	private static List<String> candidates(List<Sample> rules, List<String> paths) {
		List<String> candidates = new ArrayList<>(paths);
		for (Sample rule : rules) {
			String text = rule.text();
			candidates.addAll(List.of(text, text + "\n", "\n" + text, text + "/", "/" + text, text + "\u00e9"));
			if (!text.isEmpty()) {
				candidates.add(text.substring(1));
				candidates.add(text.substring(0, text.length() - 1));
				candidates.add(text.toUpperCase(java.util.Locale.ROOT));
			}
		}
		return candidates;
	}

	/** Some rule sets hold a rule with a word boundary or a line anchor, which only RE2/J judges. */
	@Provide
	Arbitrary<List<Sample>> ruleSets() {
		Arbitrary<Sample> forcingRE2J = Combinators
			.combine(rule(), Arbitraries.of(new Sample("\\b", ""), new Sample("\\B", ""), new Sample("(?m:^)", ""),
					new Sample("(?m:$)", "")))
			.as((rule, test) -> Sample.concat(List.of(rule, test)));
		return Combinators
			.combine(rule().list().ofMinSize(1).ofMaxSize(6),
					Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(List.<Sample>of())),
							Tuple.of(1, forcingRE2J.map(List::of))))
			.as((rules, more) -> {
				List<Sample> all = new ArrayList<>(rules);
				all.addAll(more);
				return all;
			});
	}

	@Provide
	Arbitrary<List<String>> paths() {
		return Arbitraries
			.oneOf(Arbitraries.of("/", "containers", "json", "v1.41", "a", "A", "b", "k", "K", "1", "42", "f", ".", "-", "_",
					" ", "\n", "\r", "\t", "\u0000", "\u007f", "\u00e9", "\u212a", "\u017f", "\u0661", "\u03b1",
					"\ud83d\ude00", "\ud800"), Arbitraries.strings().ascii().ofMaxLength(3))
			.list()
			.ofMaxSize(10)
			.map((pieces) -> String.join("", pieces))
			.list()
			.ofMinSize(1)
			.ofMaxSize(10);
	}

	private static Arbitrary<Sample> rule() {
		Arbitrary<Sample> body = fragment().list().ofMinSize(1).ofMaxSize(4).map(Sample::concat);
		Arbitrary<Sample> alternatives = Combinators.combine(body, body, Arbitraries.of(true, false))
			.as((left, right, takeLeft) -> new Sample(left.regex() + "|" + right.regex(),
					takeLeft ? left.text() : right.text()));
		return Combinators
			.combine(Arbitraries.of("", "", "", "(?i)", "(?s)", "(?is)"),
					Arbitraries.frequencyOf(Tuple.of(4, body), Tuple.of(1, alternatives)))
			.as((flags, sample) -> new Sample(flags + sample.regex(), sample.text()));
	}

	private static Arbitrary<Sample> fragment() {
		return Arbitraries.recursive(PathAutomatonPropertiesTest::atom, PathAutomatonPropertiesTest::composed, 0, 3);
	}

	private static Arbitrary<Sample> composed(Arbitrary<Sample> inner) {
		Arbitrary<Sample> sequence = inner.list().ofMinSize(1).ofMaxSize(4).map(Sample::concat);
		Arbitrary<Sample> repeated = Combinators.combine(inner, Arbitraries.of("(", "(?:"), quantifier())
			.as((sample, group, quantifier) -> new Sample(group + sample.regex() + ")" + quantifier.operator(),
					sample.text().repeat(quantifier.times())));
		Arbitrary<Sample> alternation = Combinators.combine(inner, inner, Arbitraries.of(true, false))
			.as((left, right, takeLeft) -> new Sample("(" + left.regex() + "|" + right.regex() + ")",
					takeLeft ? left.text() : right.text()));
		Arbitrary<Sample> flagged = Combinators.combine(Arbitraries.of("i", "s", "-i", "i-s"), inner)
			.as((flags, sample) -> new Sample("(?" + flags + ":" + sample.regex() + ")", sample.text()));
		return Arbitraries.frequencyOf(Tuple.of(3, sequence), Tuple.of(2, repeated), Tuple.of(2, alternation),
				Tuple.of(1, flagged));
	}

	private static Arbitrary<Quantifier> quantifier() {
		return Arbitraries.of(new Quantifier("?", 0), new Quantifier("?", 1), new Quantifier("*", 0),
				new Quantifier("*", 2), new Quantifier("+", 1), new Quantifier("+", 3), new Quantifier("{2}", 2),
				new Quantifier("{1,3}", 2), new Quantifier("{0,2}", 0), new Quantifier("{2,}", 3),
				new Quantifier("*?", 1), new Quantifier("??", 1), new Quantifier("{2,5}", 6));
	}

	/** Literals, classes and anchors of Docker API rules, each with a text that may match it. */
	private static Arbitrary<Sample> atom() {
		return Arbitraries.of(new Sample("/", "/"), new Sample("containers", "containers"),
				new Sample("json", "json"), new Sample("v1\\.41", "v1.41"), new Sample("v1\\.[0-9]+", "v1.4"),
				new Sample("a", "a"), new Sample("k", "K"), new Sample("\\.", "."), new Sample("-", "-"),
				new Sample("_", "_"), new Sample(" ", " "), new Sample("\\n", "\n"), new Sample("\\x00", "\u0000"),
				new Sample("\\t", "\t"), new Sample("\u00e9", "\u00e9"), new Sample("\\x{212A}", "\u212a"),
				new Sample(".", "x"), new Sample(".", "\n"), new Sample(".", "\u00e9"), new Sample("[a-z]", "q"),
				new Sample("[^/]", "\n"), new Sample("[^/]", "\ud83d\ude00"), new Sample("[0-9a-f]", "c"),
				new Sample("[a-zA-Z0-9_.-]+", "ab.C-9"), new Sample("\\d", "7"), new Sample("\\d", "\u0661"),
				new Sample("\\w", "_"), new Sample("\\s", "\t"), new Sample("\\S", "\u00a0"), new Sample("\\D", "x"),
				new Sample("[[:alpha:]]", "Q"), new Sample("[[:^digit:]]", "\r"), new Sample("\\pL", "\u03b1"),
				new Sample("\\pL", "k"), new Sample("\\PL", "1"), new Sample("\\p{Greek}", "\u03b1"),
				new Sample("[^a]", "\n"), new Sample("[A-Z0-9._-]", "."), new Sample("[\\x00-\\x1f]", "\u001f"),
				new Sample("[^\\x00-\\x7f]", "\u00e9"), new Sample("^", ""), new Sample("$", ""),
				new Sample("\\A", ""), new Sample("\\z", ""));
	}

	/** A piece of a rule and a text built beside it, meant to match it (RE2/J decides). */
	record Sample(String regex, String text) {

		static Sample concat(List<Sample> samples) {
			return new Sample(String.join("", samples.stream().map(Sample::regex).toList()),
					String.join("", samples.stream().map(Sample::text).toList()));
		}

	}

	record Quantifier(String operator, int times) {
	}

}
