package dev.socketproxy.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.socketproxy.config.AccessRules;

import static org.assertj.core.api.Assertions.assertThat;

/** Only an outright yes is answered without the gateway; everything else is left to it. */
class ImmediateAdmissionTest {

	private static final Map<String, List<String>> RULES = Map.of("GET", List.of("/v1\\.[0-9]+/(version|info)"),
			"HEAD", List.of("/_ping"), "POST", List.of("/v1\\.[0-9]+/containers/create"));

	private final ImmediateAdmission admission = admission(List.of(), Optional.empty());

	@Test
	void anAllowedGetOrHeadWithoutBodyIsAdmittedWithItsRulesAndTarget() {
		Optional<ImmediateAdmission.Admitted> admitted = admit(HttpMethod.GET, "/v1.41/version?all=1", headers());
		assertThat(admitted).hasValueSatisfying((yes) -> {
			assertThat(yes.rules().name()).isEqualTo(ClientRules.DEFAULT_NAME);
			assertThat(yes.target().path()).isEqualTo("/v1.41/version");
			assertThat(yes.target()).hasToString("/v1.41/version?all=1");
		});
		assertThat(admit(HttpMethod.HEAD, "/_ping", headers())).isPresent();
		assertThat(admit(HttpMethod.GET, "/v1.41/info", headers().add("Content-Length", "0"))).isPresent();
	}

	@Test
	void refusalsAreLeftToTheGateway() {
		assertThat(admit(HttpMethod.GET, "/v1.41/containers/json", headers())).as("path").isEmpty();
		assertThat(admit(HttpMethod.DELETE, "/v1.41/version", headers())).as("method").isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/../version", headers())).as("non-canonical").isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", new DefaultHttpHeaders())).as("no Host").isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", headers().add("X-HTTP-Method-Override", "DELETE")))
			.as("method override")
			.isEmpty();
		assertThat(this.admission.admit(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("10.0.0.1")))
			.as("client outside allow-from")
			.isEmpty();
	}

	@Test
	void whatNeedsMoreThanTheHeadIsLeftToTheGateway() {
		assertThat(admit(HttpMethod.POST, "/v1.41/containers/create", headers().add("Content-Length", "0")))
			.as("POST, whose body the gateway inspects")
			.isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", headers().add("Content-Length", "5"))).as("a body").isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", headers().add("Transfer-Encoding", "chunked")))
			.as("a chunked body")
			.isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", headers().add("Connection", "Upgrade").add("Upgrade", "tcp")))
			.as("an upgrade")
			.isEmpty();
		assertThat(admit(HttpMethod.GET, "/v1.41/version", headers().add("Expect", "100-continue"))).as("Expect").isEmpty();
		assertThat(this.admission.admit(HttpMethod.GET, HttpVersion.HTTP_1_0, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.as("HTTP/1.0")
			.isEmpty();
	}

	@Test
	void aClientWhoseRulesNeedALookupIsLeftToTheGateway() {
		ImmediateAdmission withHostnameFirst = admission(
				List.of(new AccessRules.Profile("by-name", List.of("docker-client.example"), RULES, List.of())),
				Optional.empty());
		assertThat(withHostnameFirst.admit(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.isEmpty();

		ImmediateAdmission withLabels = admission(List.of(), Optional.of((peer) -> Mono.just(Optional.empty())));
		assertThat(withLabels.admit(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.isEmpty();
	}

	private Optional<ImmediateAdmission.Admitted> admit(HttpMethod method, String uri, HttpHeaders headers) {
		return this.admission.admit(method, HttpVersion.HTTP_1_1, uri, headers, address("127.0.0.1"));
	}

	private static ImmediateAdmission admission(List<AccessRules.Profile> profiles,
			Optional<DynamicClientRules> dynamic) {
		ActivePolicy policy = new ActivePolicy(
				AccessPolicy.compile(List.of("127.0.0.1/32"), new AccessRules(RULES, List.of(), profiles)));
		return new ImmediateAdmission(new ClientSelector(policy, new HostnameAddresses(Duration.ofSeconds(10)), dynamic),
				new RequestHeadChecks(100));
	}

	private static HttpHeaders headers() {
		return new DefaultHttpHeaders().add("Host", "localhost:2375");
	}

	private static InetAddress address(String ip) {
		try {
			return InetAddress.getByName(ip);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
