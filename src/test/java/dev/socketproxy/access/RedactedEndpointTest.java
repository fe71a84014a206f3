package dev.socketproxy.access;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which answers {@code redact-env} covers, as the fast path and the redaction ask it. */
class RedactedEndpointTest {

	private static final ClientRules REDACTING = rules(true);

	@Test
	void inspectAnswersAndListsWithEnvironmentsOrConfigDataAreRedacted() {
		assertThat(List.of("/containers/web/json", "/v1.47/containers/web/json", "/v1/exec/e1/json", "/services",
				"/v1.47/services/web", "/tasks", "/tasks/t1", "/configs", "/configs/c1", "/secrets/s1", "/plugins",
				"/v1.47/plugins/vieux/sshfs:latest/json"))
			.allSatisfy((path) -> assertThat(REDACTING.redacted(path)).as(path).isPresent());
		assertThat(REDACTING.redacted("/v1.47/configs/c1")).contains(RedactedEndpoint.CONFIGS);
		assertThat(RedactedEndpoint.CONFIGS.removesSpecData()).isTrue();
		assertThat(RedactedEndpoint.CONTAINER_INSPECT.removesSpecData()).isFalse();
	}

	@Test
	void otherAnswersAndClientsWithoutRedactionAreNot() {
		assertThat(List.of("/containers/json", "/containers/web/logs", "/services/web/logs", "/tasks/t1/logs",
				"/v1.47/images/json", "/version", "/x/containers/web/json", "/plugins/privileges",
				"/plugins/vieux/sshfs/enable"))
			.allSatisfy((path) -> assertThat(REDACTING.redacted(path)).as(path).isEmpty());
		assertThat(rules(false).redacted("/v1.47/containers/web/json")).isEmpty();
	}

	private static ClientRules rules(boolean redactEnv) {
		return new ClientRules("traefik", MethodRules.compile(Map.of("GET", List.of(".*"))), new BindMountPolicy(List.of()),
				ImagePolicy.NONE, redactEnv, ObjectScope.NONE);
	}

}
