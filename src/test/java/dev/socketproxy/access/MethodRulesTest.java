package dev.socketproxy.access;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.access.MethodRules.Verdict;
import dev.socketproxy.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MethodRulesTest {

	private final MethodRules traefik = MethodRules.compile(Map.of("GET",
			List.of("/v1\\..{1,2}/(version|containers/.*|events.*)", "/_ping"), "HEAD", List.of("/_ping")));

	@ParameterizedTest
	@CsvSource({ "GET, /v1.41/version, ALLOWED", "GET, /v1.41/containers/abc/json, ALLOWED", "GET, /_ping, ALLOWED",
			"HEAD, /_ping, ALLOWED", "GET, /v1.41/version/extra, PATH_NOT_ALLOWED",
			"GET, /prefix/v1.41/version, PATH_NOT_ALLOWED", "GET, /v1.41/secrets, PATH_NOT_ALLOWED",
			"HEAD, /v1.41/version, PATH_NOT_ALLOWED", "POST, /v1.41/version, METHOD_NOT_ALLOWED",
			"get, /v1.41/version, METHOD_NOT_ALLOWED", "BREW, /v1.41/version, METHOD_NOT_ALLOWED" })
	void judgesMethodAndWholePath(String method, String path, Verdict expected) {
		assertThat(this.traefik.evaluate(method, path)).isEqualTo(expected);
	}

	@Test
	void topLevelAlternationStaysAnchoredOnBothSides() {
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of("/version|/info")));

		assertThat(rules.evaluate("GET", "/info")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", "/version")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", "/info/../secrets")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(rules.evaluate("GET", "/x/version")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void dollarDoesNotMatchBeforeATrailingNewline() {
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of("/version")));

		assertThat(rules.evaluate("GET", "/version\n")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void catastrophicPatternsMatchInLinearTime() {
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of("/(a+)+b")));
		String hostile = "/" + "a".repeat(50_000) + "c";

		long start = System.nanoTime();
		assertThat(rules.evaluate("GET", hostile)).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
	}

	/** Paths beyond ASCII are judged by RE2/J, whose verdicts are remembered. */
	@Test
	void rememberedVerdictsStayRightWhenTheMemoryFillsAndEmpties() {
		MethodRules rules = MethodRules.compile(Map.of("GET", List.of("/v1\\.[0-9]+/containers/\\pL[0-9]+/json")));
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 10_000; i++) {
				assertThat(rules.evaluate("GET", "/v1.41/containers/\u00e9" + i + "/json")).isEqualTo(Verdict.ALLOWED);
				assertThat(rules.evaluate("GET", "/v1.41/containers/\u00e9x" + i + "/json"))
					.isEqualTo(Verdict.PATH_NOT_ALLOWED);
			}
		}
		String longAllowed = "/v1.41/containers/\u00e9" + "1".repeat(300) + "/json";
		assertThat(rules.evaluate("GET", longAllowed)).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.evaluate("GET", longAllowed + "x")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void tableShowsAnchoredRulesInReferenceMethodOrder() {
		assertThat(this.traefik.table()).containsExactly(
				Map.entry("GET", List.of("^(?:/v1\\..{1,2}/(version|containers/.*|events.*))$", "^(?:/_ping)$")),
				Map.entry("HEAD", List.of("^(?:/_ping)$")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "/x(", ".*)|(?:x", "(?<=a)b", "a{1001}" })
	void rejectsInvalidRulesNamingKeyAndValue(String rule) {
		assertThatThrownBy(() -> MethodRules.compile(Map.of("GET", List.of("/ok", rule))))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageStartingWith("socketproxy.allow[GET][1]='" + rule + "': not a valid RE2 regular expression");
	}

	@Test
	void rejectsUnknownMethodsAndEmptyRules() {
		assertThatThrownBy(() -> MethodRules.compile(Map.of("FETCH", List.of("/x"))))
			.hasMessageStartingWith("socketproxy.allow='FETCH': unknown HTTP method");
		assertThatThrownBy(() -> MethodRules.compile(Map.of("GET", List.of(""))))
			.hasMessage("socketproxy.allow[GET][0]='': a rule must not be empty");
	}

}
