package dev.socketproxy.learn;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.MethodRules.Verdict;

import static org.assertj.core.api.Assertions.assertThat;

class PathGeneraliserTest {

	private static final String ID = "4d2f1b0c9e8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291807f6e";

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			/_ping                                        | /_ping
			/v1.41/version                                | /v1\\.[0-9]+/version
			/v1.51/containers/json                        | /v1\\.[0-9]+/containers/json
			/v1.51/containers/create                      | /v1\\.[0-9]+/containers/create
			/v1.51/containers/prune                       | /v1\\.[0-9]+/containers/prune
			/v1.51/containers/ID/json                     | /v1\\.[0-9]+/containers/[0-9a-f]{64}/json
			/v1.51/containers/ID/attach                   | /v1\\.[0-9]+/containers/[0-9a-f]{64}/attach
			/v1.51/containers/web-1/json                  | /v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json
			/v1.51/containers/4d2f1b0c9e8a/json           | /v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json
			/v1.51/containers/my_app.v2                   | /v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+
			/v1.51/containers/json/json                   | /v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json
			/v1.51/containers/ID/attach/ws                | /v1\\.[0-9]+/containers/[0-9a-f]{64}/attach/ws
			/v1.51/exec/ID/start                          | /v1\\.[0-9]+/exec/[0-9a-f]{64}/start
			/v1.51/exec/ID/json                           | /v1\\.[0-9]+/exec/[0-9a-f]{64}/json
			/v1.51/containers/web/exec                    | /v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/exec
			/v1.51/networks                               | /v1\\.[0-9]+/networks
			/v1.51/networks/create                        | /v1\\.[0-9]+/networks/create
			/v1.51/networks/backend/connect               | /v1\\.[0-9]+/networks/[a-zA-Z0-9_.-]+/connect
			/v1.51/volumes/data                           | /v1\\.[0-9]+/volumes/[a-zA-Z0-9_.-]+
			/v1.51/services/ID/update                     | /v1\\.[0-9]+/services/[0-9a-f]{64}/update
			/v1.51/tasks/abc123/logs                      | /v1\\.[0-9]+/tasks/[a-zA-Z0-9_.-]+/logs
			/v1.51/images/json                            | /v1\\.[0-9]+/images/json
			/v1.51/images/create                          | /v1\\.[0-9]+/images/create
			/v1.51/images/mini:latest/json                | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/json
			/v1.51/images/library/nginx:1.27/json         | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/json
			/v1.51/images/registry.local:5000/org/app:v1/push | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/push
			/v1.51/images/ghcr.io/org/app/tag             | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/tag
			/v1.51/images/app@sha256:ID                   | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+
			/v1.51/images/sha256:ID/json                  | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/json
			/v1.51/images/ID/json                         | /v1\\.[0-9]+/images/[0-9a-f]{64}/json
			/v1.51/images/library/busybox                 | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+
			/v1.51/images/json/json                       | /v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/json
			/v1.51/distribution/docker.io/library/alpine:3/json | /v1\\.[0-9]+/distribution/[a-zA-Z0-9_.:@/-]+/json
			/v1.51/plugins/vieux/sshfs:latest/enable      | /v1\\.[0-9]+/plugins/[a-zA-Z0-9_.:@/-]+/enable
			/v1.51/plugins/privileges                     | /v1\\.[0-9]+/plugins/privileges
			/v2.0/info                                    | /v2\\.[0-9]+/info
			/v1/info                                      | /v1/info
			/version                                      | /version
			/                                             | /
			/containers/ID/json                           | /containers/[0-9a-f]{64}/json
			/v1.51/system/df                              | /v1\\.[0-9]+/system/df
			/v1.51/something/ID                           | /v1\\.[0-9]+/something/[0-9a-f]{64}
			/v1.51/containers/a+b(c)                      | /v1\\.[0-9]+/containers/a\\+b\\(c\\)
			/v1.51/containers/x y                         | /v1\\.[0-9]+/containers/x y
			/v1.51/images/a b/json                        | /v1\\.[0-9]+/images/a b/json
			""")
	void generalisesIdsNamesReferencesAndVersionsAndEscapesTheRest(String path, String expected) {
		String concrete = path.replace("ID", ID);

		String regex = PathGeneraliser.generalise(concrete).regex();

		assertThat(regex).isEqualTo(expected);
		assertMatchesOnlyAsLearned(regex, concrete);
	}

	@Test
	void escapesEveryRe2MetacharacterOfLiteralSegments() {
		String path = "/v1.51/a.b/$[x]{1}|^*?\\";

		String regex = PathGeneraliser.generalise(path).regex();

		assertThat(regex).isEqualTo("/v1\\.[0-9]+/a\\.b/\\$\\[x\\]\\{1\\}\\|\\^\\*\\?\\\\");
		assertMatchesOnlyAsLearned(regex, path);
		assertThat(evaluate(regex, "/v1.51/aXb/$[x]{1}|^*?\\")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	@Test
	void generalisedRulesStayWithinTheirSegmentsOrReference() {
		String name = PathGeneraliser.generalise("/v1.51/containers/web/json").regex();
		String reference = PathGeneraliser.generalise("/v1.51/images/mini:latest/json").regex();

		assertThat(evaluate(name, "/v1.99/containers/web/json")).isEqualTo(Verdict.ALLOWED);
		assertThat(evaluate(name, "/v2.41/containers/web/json")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(evaluate(name, "/v1.51/containers/a/b/json")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(evaluate(name, "/v1.51/containers/web/logs")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(evaluate(name, "/v1.51/containers/a:b/json")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(evaluate(name, "/containers/web/json")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(evaluate(reference, "/v1.51/images/ghcr.io/org/app:1.2/json")).isEqualTo(Verdict.ALLOWED);
		assertThat(evaluate(reference, "/v1.51/images/app/history")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	private static void assertMatchesOnlyAsLearned(String regex, String path) {
		assertThat(evaluate(regex, path)).as("the rule matches the path it was learned from").isEqualTo(Verdict.ALLOWED);
		assertThat(evaluate(regex, path + "/x~")).as("but not a longer one").isEqualTo(Verdict.PATH_NOT_ALLOWED);
	}

	private static Verdict evaluate(String regex, String path) {
		return MethodRules.compile(Map.of("GET", List.of(regex))).evaluate("GET", path);
	}

}
