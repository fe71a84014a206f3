package dev.socketproxy.access;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
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
import dev.socketproxy.config.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one judge of both paths: the order of its checks, report-only mode, and what the
 * fast path may take without the gateway.
 */
class AdmissionTest {

	private static final Map<String, List<String>> RULES = Map.of("GET", List.of("/v1\\.[0-9]+/(version|info)"),
			"HEAD", List.of("/_ping"), "POST", List.of("/v1\\.[0-9]+/containers/create"));

	private final Admission admission = admission(List.of(), Optional.empty(), false, false);

	@Test
	void allowsWithTheClientsRulesAndTheCanonicalTarget() {
		Admission.Verdict verdict = judge(this.admission, head("GET", "/v1.41/version?all=1", headers(), "127.0.0.1"));
		assertThat(verdict.decision()).isEqualTo(Admission.Decision.ALLOWED);
		assertThat(verdict.rules().name()).isEqualTo(ClientRules.DEFAULT_NAME);
		assertThat(verdict.target().path()).isEqualTo("/v1.41/version");
		assertThat(verdict.target()).hasToString("/v1.41/version?all=1");
		assertThat(verdict.denial()).isNull();
	}

	@Test
	void judgesTheClientFirstThenTheHeadThenTheTargetThenTheRules() {
		HttpHeaders noHost = new DefaultHttpHeaders();
		assertRefused(head("DELETE", "/../x", noHost, "10.0.0.1"), 403, "forbidden IP", false);
		assertRefused(head("DELETE", "/../x", noHost, "127.0.0.1"), 400, "missing Host header", true);
		assertRefused(head("DELETE", "/../x", headers(), "127.0.0.1"), 400, "non-canonical path: dot segment", true);
		assertRefused(head("DELETE", "/v1.41/containers/json", headers(), "127.0.0.1"), 405, "method not allowed", true);
		assertRefused(head("GET", "/v1.41/containers/json", headers(), "127.0.0.1"), 403, "path not allowed", true);
	}

	@Test
	void refusesATargetTheGatewayWouldForwardChanged() {
		RequestHead head = new RequestHead("GET", "/v1.41/version", headers(), peer("127.0.0.1"),
				URI.create("http://localhost/v1.41/info"));
		assertThat(judge(this.admission, head).denial().reason()).isEqualTo("non-canonical path: changed by parsing");
	}

	@Test
	void aClientWithoutAddressIsRefusedUnlessOnTheUnixSocket() {
		RequestHead unix = new RequestHead("GET", "/v1.41/version", headers(), null, null);
		assertThat(judge(this.admission, unix).denial()).isEqualTo(Denial.FORBIDDEN_IP);
		Admission unixListener = admission(List.of(), Optional.empty(), true, false);
		assertThat(judge(unixListener, unix).decision()).isEqualTo(Admission.Decision.ALLOWED);
		assertThat(judge(unixListener, head("GET", "/v1.41/version", headers(), "10.0.0.1")).rules().name())
			.as("every client of the Unix socket gets the default rules")
			.isEqualTo(ClientRules.DEFAULT_NAME);
	}

	@Test
	void reportOnlyForwardsWhatTheRulesRefuseButNothingElse() {
		Admission reportOnly = admission(List.of(), Optional.empty(), false, true);
		Admission.Verdict path = judge(reportOnly, head("GET", "/v1.41/containers/json", headers(), "127.0.0.1"));
		assertThat(path.decision()).isEqualTo(Admission.Decision.REPORTED);
		assertThat(path.denial()).isEqualTo(Denial.PATH_NOT_ALLOWED);
		assertThat(path.target().path()).isEqualTo("/v1.41/containers/json");
		assertThat(judge(reportOnly, head("PUT", "/v1.41/version", headers(), "127.0.0.1")).decision())
			.isEqualTo(Admission.Decision.REPORTED);
		assertThat(judge(reportOnly, head("GET", "/v1.41/version/", headers(), "127.0.0.1")).decision())
			.as("non-canonical")
			.isEqualTo(Admission.Decision.REFUSED);
		assertThat(judge(reportOnly, head("GET", "/v1.41/version", headers(), "10.0.0.1")).decision())
			.as("client")
			.isEqualTo(Admission.Decision.REFUSED);
	}

	@Test
	void looksUpHostnamesAndLabelledContainersOnTheGatewayPath() {
		Admission withHostname = admission(List.of(profile("by-name", "docker-client.example")), Optional.empty(),
				false, false);
		assertThat(judge(withHostname, head("GET", "/v1.41/version", headers(), "10.0.0.7")).rules().name())
			.isEqualTo("by-name");
		ClientRules labelled = new ClientRules("labelled", MethodRules.compile(Map.of("GET", List.of("/_ping"))),
				new BindMountPolicy(List.of()), ImagePolicy.NONE, false, ObjectScope.NONE);
		Admission withLabels = admission(List.of(), Optional.of((peer) -> Mono.just(Optional.of(labelled))), false,
				false);
		Admission.Verdict verdict = judge(withLabels, head("GET", "/v1.41/version", headers(), "127.0.0.1"));
		assertThat(verdict.rules()).isSameAs(labelled);
		assertThat(verdict.denial()).isEqualTo(Denial.PATH_NOT_ALLOWED);
	}

	@Test
	void theFastPathGetsAnAllowedGetOrHeadWithoutBody() {
		assertThat(immediate(HttpMethod.GET, "/v1.41/version?all=1", headers())).hasValueSatisfying((yes) -> {
			assertThat(yes.decision()).isEqualTo(Admission.Decision.ALLOWED);
			assertThat(yes.rules().name()).isEqualTo(ClientRules.DEFAULT_NAME);
			assertThat(yes.target()).hasToString("/v1.41/version?all=1");
		});
		assertThat(immediate(HttpMethod.HEAD, "/_ping", headers())).isPresent();
		assertThat(immediate(HttpMethod.GET, "/v1.41/info", headers().add("Content-Length", "0"))).isPresent();
	}

	@Test
	void refusalsAreLeftToTheGateway() {
		assertThat(immediate(HttpMethod.GET, "/v1.41/containers/json", headers())).as("path").isEmpty();
		assertThat(immediate(HttpMethod.DELETE, "/v1.41/version", headers())).as("method").isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/../version", headers())).as("non-canonical").isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", new DefaultHttpHeaders())).as("no Host").isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", headers().add("X-HTTP-Method-Override", "DELETE")))
			.as("method override")
			.isEmpty();
		assertThat(this.admission.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("10.0.0.1")))
			.as("client outside allow-from")
			.isEmpty();
		Admission reportOnly = admission(List.of(), Optional.empty(), false, true);
		assertThat(reportOnly.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/containers/json", headers(),
				address("127.0.0.1")))
			.as("a report-only finding")
			.isEmpty();
	}

	@Test
	void whatNeedsMoreThanTheHeadIsLeftToTheGateway() {
		assertThat(immediate(HttpMethod.POST, "/v1.41/containers/create", headers().add("Content-Length", "0")))
			.as("POST, whose body the gateway inspects")
			.isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", headers().add("Content-Length", "5"))).as("a body")
			.isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", headers().add("Transfer-Encoding", "chunked")))
			.as("a chunked body")
			.isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", headers().add("Connection", "Upgrade").add("Upgrade", "tcp")))
			.as("an upgrade")
			.isEmpty();
		assertThat(immediate(HttpMethod.GET, "/v1.41/version", headers().add("Expect", "100-continue"))).as("Expect")
			.isEmpty();
		assertThat(this.admission.immediate(HttpMethod.GET, HttpVersion.HTTP_1_0, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.as("HTTP/1.0")
			.isEmpty();
	}

	@Test
	void aClientWhoseRulesNeedALookupIsLeftToTheGateway() {
		Admission withHostnameFirst = admission(List.of(profile("by-name", "docker-client.example")),
				Optional.empty(), false, false);
		assertThat(withHostnameFirst.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.isEmpty();
		Admission withLabels = admission(List.of(), Optional.of((peer) -> Mono.just(Optional.empty())), false, false);
		assertThat(withLabels.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.isEmpty();
	}

	@Test
	void aRequestWhoseAnswerIsRedactedIsLeftToTheGateway() {
		AccessRules.Profile redacting = new AccessRules.Profile("redacting", List.of("127.0.0.1"),
				Map.of("GET", List.of("/v1\\.[0-9]+/(version|containers/[^/]+/json)")), List.of(), true, List.of(), false, null, null);
		Admission withRedaction = admission(List.of(redacting), Optional.empty(), false, false);
		assertThat(withRedaction.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/containers/web/json",
				headers(), address("127.0.0.1")))
			.as("container inspect")
			.isEmpty();
		assertThat(withRedaction.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(),
				address("127.0.0.1")))
			.as("version")
			.isPresent();
		assertThat(judge(withRedaction, head("GET", "/v1.41/containers/web/json", headers(), "127.0.0.1")).decision())
			.as("the gateway allows it")
			.isEqualTo(Admission.Decision.ALLOWED);
	}

	@Test
	void aScopedClientsRequestsForObjectsAndEventsAreLeftToTheGateway() {
		AccessRules.Profile traefik = new AccessRules.Profile("traefik", List.of("127.0.0.1"),
				Map.of("GET", List.of(".*")), List.of(), false, List.of(), false, null,
				new AccessRules.VisibleContainers(List.of(), List.of("traefik.enable=true")));
		Admission scoped = admission(List.of(traefik), Optional.empty(), false, false);
		for (String path : List.of("/v1.41/containers/json", "/containers/web/json", "/v1.41/events", "/exec/1/json",
				"/networks", "/volumes/v", "/images/json")) {
			assertThat(scoped.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, path, headers(), address("127.0.0.1")))
				.as(path)
				.isEmpty();
		}
		assertThat(scoped.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, "/v1.41/version", headers(), address("127.0.0.1")))
			.isPresent();
	}

	@Test
	void anOwnersListsAndEventsAreLeftToTheGatewayWhichRewritesThem() {
		AccessRules.Profile owned = new AccessRules.Profile("owned", List.of("127.0.0.1"), Map.of("GET", List.of(".*")),
				List.of(), false, List.of(), false, "tenant-a", null);
		Admission withOwner = admission(List.of(owned), Optional.empty(), false, false);
		for (String path : List.of("/v1.41/containers/json", "/networks", "/volumes", "/images/json", "/v1.41/events")) {
			assertThat(withOwner.immediate(HttpMethod.GET, HttpVersion.HTTP_1_1, path, headers(), address("127.0.0.1")))
				.as(path)
				.isEmpty();
			assertThat(judge(withOwner, head("GET", path, headers(), "127.0.0.1")).decision()).as(path)
				.isEqualTo(Admission.Decision.ALLOWED);
		}
	}

	private void assertRefused(RequestHead head, int status, String reason, boolean rulesKnown) {
		Admission.Verdict verdict = judge(this.admission, head);
		assertThat(verdict.decision()).isEqualTo(Admission.Decision.REFUSED);
		assertThat(verdict.denial().status().value()).as(reason).isEqualTo(status);
		assertThat(verdict.denial().reason()).isEqualTo(reason);
		assertThat(verdict.rules() != null).as("rules known").isEqualTo(rulesKnown);
	}

	private Optional<Admission.Verdict> immediate(HttpMethod method, String uri, HttpHeaders headers) {
		return this.admission.immediate(method, HttpVersion.HTTP_1_1, uri, headers, address("127.0.0.1"));
	}

	private static Admission.Verdict judge(Admission admission, RequestHead head) {
		return admission.judge(head).block(Duration.ofSeconds(5));
	}

	private static RequestHead head(String method, String target, HttpHeaders headers, String peer) {
		return new RequestHead(method, target, headers, peer(peer), null);
	}

	private static AccessRules.Profile profile(String name, String client) {
		return new AccessRules.Profile(name, List.of(client), RULES, List.of(), false, List.of(), false, null, null);
	}

	/** Allows 127.0.0.1 by default; the hostname {@code docker-client.example} resolves to 10.0.0.7. */
	private static Admission admission(List<AccessRules.Profile> profiles, Optional<DynamicClientRules> dynamic,
			boolean unixListener, boolean reportOnly) {
		ActivePolicy policy = new ActivePolicy(
				AccessPolicy.compile(List.of("127.0.0.1/32"), new AccessRules(RULES, List.of(), profiles, false, List.of(), false, null, null), "socket-proxy"));
		HostnameAddresses hostnames = new HostnameAddresses(Duration.ofSeconds(10), Clock.systemUTC(),
				(hostname) -> new InetAddress[] { address("10.0.0.7") });
		return new Admission(new ClientSelector(policy, hostnames, dynamic), policy, new RequestHeadChecks(100),
				unixListener, reportOnly);
	}

	static HttpHeaders headers() {
		return new DefaultHttpHeaders().add("Host", "localhost:2375");
	}

	private static InetSocketAddress peer(String ip) {
		return new InetSocketAddress(address(ip), 40000);
	}

	private static InetAddress address(String ip) {
		return IpLiterals.parse(ip);
	}

}
