package dev.socketproxy.learn;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.MethodRules.Verdict;
import dev.socketproxy.learn.LearnedTraffic.LearnedRules;

import static org.assertj.core.api.Assertions.assertThat;

class LearnedRulesYamlTest {

	@Test
	void tcpClientsBecomeProfilesNamedAfterTheirAddress() {
		String yaml = LearnedRulesYaml.render(new TreeMap<>(Map.of("127.0.0.1",
				new LearnedRules(Map.of("GET", List.of("/_ping", "/v1\\.[0-9]+/containers/json")), 0, 0),
				"0:0:0:0:0:0:0:1", new LearnedRules(Map.of("HEAD", List.of("/_ping")), 0, 0))));

		assertThat(yaml).contains("""
				    - name: learned-127-0-0-1
				      clients: ['127.0.0.1']
				      allow:
				        GET:
				          - '/_ping'
				          - '/v1\\.[0-9]+/containers/json'
				""");
		Map<String, Object> socketproxy = socketproxy(yaml);
		assertThat(socketproxy).containsOnlyKeys("profiles");
		assertThat(socketproxy.get("profiles")).isEqualTo(List.of(
				Map.of("name", "learned-0-0-0-0-0-0-0-1", "clients", List.of("0:0:0:0:0:0:0:1"), "allow",
						Map.of("HEAD", List.of("/_ping"))),
				Map.of("name", "learned-127-0-0-1", "clients", List.of("127.0.0.1"), "allow",
						Map.of("GET", List.of("/_ping", "/v1\\.[0-9]+/containers/json")))));
	}

	@Test
	void unixSocketClientsGetTheDefaultRulesAndEveryRegexSurvivesYamlUnchanged() {
		String hostile = "/v1\\.[0-9]+/it''s/\\$\\[x\\]\\\\";
		String yaml = LearnedRulesYaml.render(Map.of("unix",
				new LearnedRules(Map.of("GET", List.of("/v1\\.[0-9]+/it's/\\$\\[x\\]\\\\")), 3, 2)));

		assertThat(yaml).contains("    - '" + hostile + "'\n")
			.contains("# unix: 3 requests with new patterns not learned")
			.contains("# unix: 2 requests with a method no rule can name");
		@SuppressWarnings("unchecked")
		Map<String, List<String>> allow = (Map<String, List<String>>) socketproxy(yaml).get("allow");
		assertThat(MethodRules.compile(allow).evaluate("GET", "/v1.51/it's/$[x]\\")).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void nothingLearnedYetIsStillValidYaml() {
		assertThat(new Yaml().<Map<String, Object>>load(LearnedRulesYaml.render(Map.of())))
			.isEqualTo(Collections.singletonMap("socketproxy", null));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> socketproxy(String yaml) {
		return (Map<String, Object>) new Yaml().<Map<String, Object>>load(yaml).get("socketproxy");
	}

}
