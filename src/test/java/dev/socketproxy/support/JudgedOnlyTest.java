package dev.socketproxy.support;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.socketproxy.support.AccessDecisions.Decision;

import static org.assertj.core.api.Assertions.assertThat;

/** The matching rule of the invariant check, on its own: what it must flag. */
class JudgedOnlyTest {

	@Test
	void eachRequestUsesOneDecisionLoggedBeforeItArrived() {
		List<Decision> decisions = List.of(allowed("GET", "/v1.41/version", "127.0.0.1:1000", 10));

		assertThat(violations(decisions, List.of(received("GET", "/v1.41/version", 20)), null)).isEmpty();
		assertThat(violations(decisions,
				List.of(received("GET", "/v1.41/version", 20), received("GET", "/v1.41/version", 30)), null))
			.as("a decision matched twice")
			.containsExactly("never allowed: GET /v1.41/version (engine.sock connection 1)");
		assertThat(violations(decisions, List.of(received("GET", "/v1.41/version", 5)), null))
			.as("received before it was judged")
			.hasSize(1);
	}

	@Test
	void methodTargetAndClientMustMatch() {
		List<Decision> decisions = List.of(allowed("GET", "/v1.41/version", "127.0.0.1:1000", 10),
				new Decision(false, "GET", "/v1.41/images/json", "127.0.0.1:1000", 11));

		assertThat(violations(decisions, List.of(received("POST", "/v1.41/version", 20)), null)).hasSize(1);
		assertThat(violations(decisions, List.of(received("GET", "/v1.41/version?x=1", 20)), null)).hasSize(1);
		assertThat(violations(decisions, List.of(received("GET", "/v1.41/images/json", 20)), null))
			.as("a refusal is no decision to forward")
			.hasSize(1);
		assertThat(violations(decisions, List.of(received("GET", "/v1.41/version", 20)), Set.of("127.0.0.1:2000")))
			.as("allowed for another client connection")
			.hasSize(1);
	}

	@Test
	void aRequestLateForItsTestUsesTheDecisionItLeftUnused() {
		List<Decision> earlier = List.of(allowed("POST", "/v1.41/containers/abc/wait", "127.0.0.1:1000", 10));
		List<Decision> now = List.of(allowed("GET", "/v1.41/version", "127.0.0.1:2000", 30));
		List<ReceivedRequest> received = List.of(received("GET", "/v1.41/version", 40),
				received("POST", "/v1.41/containers/abc/wait", 41));

		JudgedOnly.Matching matching = JudgedOnly.match(now, earlier, received, Set.of("127.0.0.1:2000"));

		assertThat(matching.violations()).isEmpty();
		assertThat(matching.unused()).isEmpty();
		assertThat(violations(now, received, Set.of("127.0.0.1:2000")))
			.containsExactly("never allowed: POST /v1.41/containers/abc/wait (engine.sock connection 1)");
	}

	@Test
	void aPathTheLogBoundCutJudgesOnlyTheTargetOfItsBeginningAndLength() {
		String target = "/v1.41/containers/" + "a".repeat(2000);
		Decision cut = new Decision(true, "GET", target.substring(0, 1000) + "…[cut 1018 chars]", "127.0.0.1:1", 0);

		assertThat(cut.judged(target)).isTrue();
		assertThat(cut.judged(target + "b")).isFalse();
		assertThat(cut.judged("/v1.41/images/" + "a".repeat(2004))).isFalse();
		assertThat(new Decision(true, "GET", "/v1.41/version", "127.0.0.1:1", 0).judged("/v1.41/version")).isTrue();
	}

	@Test
	void bytesThatAreNoRequestAlwaysFail() {
		ReceivedRequest garbage = new ReceivedRequest("engine.sock", "1", null, null, "\u0000\u0001", null,
				"malformed HTTP request line", 20);

		assertThat(violations(List.of(), List.of(garbage), null))
			.containsExactly("not a request: malformed HTTP request line: \\x00\\x01 (engine.sock connection 1)");
	}

	@Test
	void accessLinesAreReadFromTheConsolePattern() {
		AccessDecisions.install();
		try {
			int mark = AccessDecisions.count();
			AccessDecisions.parse("2026-12-06T17:00:00.000Z DEBUG dev.socketproxy.access.AccessLog                : "
					+ "allowed request method=\"GET\" path=\"/v1.41/version\" client=\"127.0.0.1:56426\" rules=\"default\"");
			AccessDecisions.parse("2026-12-06T17:00:00.000Z  INFO some.Other : nothing to see");

			assertThat(AccessDecisions.since(mark)).singleElement().satisfies((decision) -> {
				assertThat(decision.allowed()).isTrue();
				assertThat(decision.method()).isEqualTo("GET");
				assertThat(decision.path()).isEqualTo("/v1.41/version");
				assertThat(decision.client()).isEqualTo("127.0.0.1:56426");
			});
		}
		finally {
			AccessDecisions.uninstall();
		}
	}

	@Test
	void aRewrittenRequestMayReachTheSocketOnlyRewritten() {
		AccessDecisions.install();
		try {
			int mark = AccessDecisions.count();
			AccessDecisions.parse("x DEBUG a.AccessLog : allowed request method=\"GET\" path=\"/v1.41/containers/web/json\" "
					+ "client=\"127.0.0.1:1000\" rules=\"default\"");
			AccessDecisions.parse("x DEBUG a.AccessLog : rewritten request method=\"GET\" path=\"/v1.41/containers/web/json\" "
					+ "client=\"127.0.0.1:1000\" rules=\"default\" forwarded=\"/v1.41/containers/4fa6/json\"");
			List<Decision> decisions = AccessDecisions.since(mark);

			assertThat(decisions).singleElement().satisfies((decision) -> assertThat(decision.path()).isEqualTo("/v1.41/containers/4fa6/json"));
			long later = decisions.get(0).at() + 1;
			assertThat(violations(decisions, List.of(received("GET", "/v1.41/containers/4fa6/json", later)), null)).isEmpty();
			assertThat(violations(decisions, List.of(received("GET", "/v1.41/containers/web/json", later)), null)).hasSize(1);
		}
		finally {
			AccessDecisions.uninstall();
		}
	}

	@Test
	void theProxysOwnLookupsNeedNoDecisionButOnlyWithTheirAgentAndShape() {
		String agent = "User-Agent: socket-proxy-lookup\r\n";
		assertThat(violations(List.of(), List.of(lookup("GET", "/containers/web/json", agent),
				lookup("GET", "/exec/9e2f/json", agent), lookup("GET", "/networks/n1", agent), lookup("GET", "/volumes/v", agent),
				lookup("GET", "/images/ci/app:1/json", agent), lookup("GET", "/events?filters=%7B%7D", agent)), null))
			.isEmpty();
		assertThat(violations(List.of(), List.of(lookup("GET", "/containers/web/json", "User-Agent: Docker-Client\r\n"),
				lookup("POST", "/containers/web/json", agent), lookup("GET", "/containers/web/logs", agent),
				lookup("GET", "/v1.41/containers/web/json", agent), lookup("GET", "/containers/json?all=1", agent)), null))
			.hasSize(5);
	}

	private static ReceivedRequest lookup(String method, String target, String headers) {
		return new ReceivedRequest("engine.sock", "1", method, target, method + " " + target + " HTTP/1.1\r\n" + headers + "\r\n",
				new byte[0], null, 1);
	}

	private static List<String> violations(List<Decision> decisions, List<ReceivedRequest> received,
			Set<String> clients) {
		return JudgedOnly.match(decisions, List.of(), received, clients).violations();
	}

	private static Decision allowed(String method, String path, String client, long at) {
		return new Decision(true, method, path, client, at);
	}

	private static ReceivedRequest received(String method, String target, long at) {
		return new ReceivedRequest("engine.sock", "1", method, target, method + " " + target + " HTTP/1.1\r\n\r\n",
				new byte[0], null, at);
	}

}
