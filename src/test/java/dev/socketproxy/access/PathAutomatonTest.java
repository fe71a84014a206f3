package dev.socketproxy.access;

import java.util.List;
import java.util.Map;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.access.MethodRules.Verdict;
import dev.socketproxy.access.PathAutomaton.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-picked cases where a DFA could part ways with RE2/J. Each expected verdict is written
 * out, and RE2/J is asked too, so a wrong expectation shows as well as a wrong automaton.
 */
class PathAutomatonTest {

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			// ^ and $ inside a rule: only at the start and the end of the whole path
			"^/a$        | /a      | MATCH", "(^/x)?/y    | /y      | MATCH", "(^/x)?/y    | /x/y    | MATCH",
			"/y(^/x)?    | /y/x    | NO_MATCH", "/y(^/x)?    | /y      | MATCH", "/a$/b       | /a/b    | NO_MATCH",
			"/a$$        | /a      | MATCH", "\"/a(/b$|/c)/d\" | /a/c/d | MATCH", "\"/a(/b$|/c)/d\" | /a/b/d | NO_MATCH",
			"\"/a(/b$|/c)/d\" | /a/b   | NO_MATCH", "/a\\z       | /a      | MATCH", "\\A/a       | /a      | MATCH",
			// a top-level alternation stays inside the anchors
			"\"/version|/info\" | /info   | MATCH", "\"/version|/info\" | /info/x | NO_MATCH",
			"\"/version|/info\" | /x/version | NO_MATCH",
			// . and negated classes against a newline
			"/a.         | /ab     | MATCH", "/a.         | \"/a\n\" | NO_MATCH", "(?s)/a.     | \"/a\n\" | MATCH",
			"/[^a]       | \"/\n\"  | MATCH", "/[^a]       | /a      | NO_MATCH", "/version    | \"/version\n\" | NO_MATCH",
			// case folding, Perl, POSIX and Unicode classes within ASCII
			"(?i)/info   | /INFO   | MATCH", "(?i)/info   | /inf0   | NO_MATCH", "/(?i:k)x    | /Kx     | MATCH",
			"/(?i:k)x    | /KX     | NO_MATCH", "/\\d+       | /2024   | MATCH", "/\\d+       | /20a4   | NO_MATCH",
			"/[[:alpha:]]+ | /abZ  | MATCH", "/[[:alpha:]]+ | /ab1  | NO_MATCH", "/\\pL      | /a      | MATCH",
			"/\\pL       | /1      | NO_MATCH", "/\\PL       | /1      | MATCH",
			// counted repetition
			"/x{2,5}     | /x      | NO_MATCH", "/x{2,5}     | /xx     | MATCH", "/x{2,5}     | /xxxxx  | MATCH",
			"/x{2,5}     | /xxxxxx | NO_MATCH",
			// control characters and the empty path
			"/a\\x00b    | \"/a\u0000b\" | MATCH", "/a\\tb      | \"/a\tb\" | MATCH", "x*         | \"\"     | MATCH",
			"\\z\\A      | \"\"     | MATCH", "/\\z\\A     | /       | NO_MATCH",
			// after an x the automaton is where it started, but no longer at the start of the path
			"x*\\z\\A     | \"\"     | MATCH", "x*\\z\\A     | x       | NO_MATCH" })
	void judgesASCIIPathsAsRE2JDoes(String rule, String path, Outcome expected) {
		PathAutomaton automaton = automaton(rule.strip());

		assertThat(automaton.match(path)).isEqualTo(expected);
		assertThat(anchored(rule.strip()).matches(path)).as("RE2/J").isEqualTo(expected == Outcome.MATCH);
	}

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', value = { "(?i)/k     | /\u212a  | ALLOWED", "(?i)/s      | /\u017f  | ALLOWED",
			"/\\pL       | /\u00e9  | ALLOWED", "/\\d       | /\u0661  | PATH_NOT_ALLOWED",
			"/.         | /\ud83d\ude00 | ALLOWED", "/..        | /\ud83d\ude00 | PATH_NOT_ALLOWED",
			"/[^a]      | /\ud800  | ALLOWED", "/\u00e9/x   | /\u00e9/x | ALLOWED" })
	void leavesPathsBeyondASCIIToRE2J(String rule, String path, Verdict expected) {
		assertThat(automaton(rule.strip()).match(path)).isEqualTo(Outcome.NOT_ASCII);
		assertThat(MethodRules.compile(Map.of("GET", List.of(rule.strip()))).evaluate("GET", path)).isEqualTo(expected);
		assertThat(anchored(rule.strip()).matches(path)).as("RE2/J").isEqualTo(expected == Verdict.ALLOWED);
	}

	@Test
	void refusesAtTheFirstCharacterNoRuleCanContinueWithEvenBeyondASCII() {
		assertThat(automaton("/a.*").match("/b\u00e9")).isEqualTo(Outcome.NO_MATCH);
	}

	@Test
	void oneAutomatonJudgesAllRulesOfAMethodInOnePass() {
		PathAutomaton automaton = PathAutomaton.of(List.of(anchored("/version"), anchored("(?i)/info"),
				anchored("/containers/[a-f0-9]{12}/json")), MethodRules.MAX_STATES).orElseThrow();

		assertThat(automaton.match("/version")).isEqualTo(Outcome.MATCH);
		assertThat(automaton.match("/INFO")).isEqualTo(Outcome.MATCH);
		assertThat(automaton.match("/containers/0123456789ab/json")).isEqualTo(Outcome.MATCH);
		assertThat(automaton.match("/containers/0123456789a/json")).isEqualTo(Outcome.NO_MATCH);
		assertThat(automaton.match("/VERSION")).isEqualTo(Outcome.NO_MATCH);
	}

	@ParameterizedTest
	@ValueSource(strings = { "(?m)^/a", "/a(?m)$", "/a\\b", "/a\\B.*" })
	void buildsNoAutomatonForLineAnchorsAndWordBoundaries(String rule) {
		assertThat(PathAutomaton.of(List.of(anchored("/ok"), anchored(rule)), MethodRules.MAX_STATES)).isEmpty();
	}

	@Test
	void rulesWithLineAnchorsOrWordBoundariesAreJudgedByRE2J() {
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of("/ok", "/a\\b.*", "(?m)/b$\\n?")));

		assertThat(rules.evaluate("GET", "/ok")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", "/a/x")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", "/ax")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(rules.evaluate("GET", "/b\n")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", "/bx")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void buildsNoAutomatonBeyondTheStateCapAndRE2JJudgesInstead() {
		// The n-th character from the end: a DFA needs 2^13 states for it.
		String rule = "/[ab]*a[ab]{12}";
		String allowed = "/bba" + "b".repeat(12);
		String refused = "/bbb" + "a".repeat(12);

		assertThat(PathAutomaton.of(List.of(anchored(rule)), MethodRules.MAX_STATES)).isEmpty();
		assertThat(PathAutomaton.of(List.of(anchored("/[ab]*a[ab]{4}")), MethodRules.MAX_STATES)).isPresent();
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of(rule)));
		assertThat(rules.evaluate("GET", allowed)).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", refused)).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void theCapCountsTheDeadAndTheStartState() {
		List<Pattern> one = List.of(anchored("/"));

		assertThat(PathAutomaton.of(one, 3)).hasValueSatisfying((automaton) -> assertThat(automaton.states()).isEqualTo(3));
		assertThat(PathAutomaton.of(one, 2)).isEmpty();
	}

	private static PathAutomaton automaton(String rule) {
		return PathAutomaton.of(List.of(anchored(rule)), MethodRules.MAX_STATES).orElseThrow();
	}

	private static Pattern anchored(String rule) {
		return Pattern.compile("^(?:" + rule + ")$");
	}

}
