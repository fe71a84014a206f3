package dev.socketproxy.scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.config.AccessRules.VisibleContainers;
import dev.socketproxy.scope.EngineObject.Kind;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-id filter between the admission and the socket, on mock exchanges. */
class ObjectScopeFilterTest {

	private static final String WEB_ID = "a".repeat(64);

	private static final String DB_ID = "b".repeat(64);

	private static final ObjectScope TRAEFIK = ObjectScope.compile("socketproxy", "socket-proxy", null,
			new VisibleContainers(List.of(), List.of("traefik.enable=true")));

	private static final ObjectScope CI = ObjectScope.compile("socketproxy", "socket-proxy", "ci-1", VisibleContainers.ALL);

	private final List<String> lookups = new ArrayList<>();

	private final ObjectScopeFilter filter = new ObjectScopeFilter((kind, reference) -> {
		this.lookups.add(kind + " " + reference);
		return switch (reference) {
			case "web", "aaaa" -> Mono.just(Optional.of(new EngineObject(Kind.CONTAINER, WEB_ID, List.of("/web"),
					Map.of("traefik.enable", "true", "socket-proxy.owner", "ci-1"), null)));
			case "db" -> Mono.just(Optional.of(new EngineObject(Kind.CONTAINER, DB_ID, List.of("/db"), Map.of(), null)));
			case "e1" -> Mono.just(Optional.of(new EngineObject(Kind.EXEC, "e1", List.of("/db"), Map.of(), DB_ID)));
			case "broken" -> Mono.error(new IllegalStateException("socket gone"));
			default -> Mono.just(Optional.empty());
		};
	});

	@Test
	void aVisibleContainerIsForwardedByItsFullIdWithTheQueryKept() {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/v1.41/containers/web/logs?follow=1&tail=10", TRAEFIK);
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get().getRequest().getURI().getRawPath()).isEqualTo("/v1.41/containers/" + WEB_ID + "/logs");
		assertThat(forwarded.get().getRequest().getURI().getRawQuery()).isEqualTo("follow=1&tail=10");
		assertThat(GatewayExchange.target(forwarded.get()).path()).as("the verdict stays as judged")
			.isEqualTo("/v1.41/containers/web/logs");
		assertThat(this.lookups).containsExactly("CONTAINER web");
	}

	@Test
	void aHiddenContainerIsA404ThatNeverReachesTheSocket() {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/v1.41/containers/db/json", TRAEFIK);
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("{\"message\":\"No such container: db\"}\n");
		assertThat(GatewayExchange.denial(exchange).kind()).isEqualTo(RefusalReason.NOT_VISIBLE);
	}

	@Test
	void anUnknownOrMalformedReferenceIsTheEnginesOwn404WithoutForwarding() {
		for (String target : List.of("/containers/nothing/json", "/containers/a/b/json", "/exec/nothing/start")) {
			AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
			MockServerWebExchange exchange = exchange(HttpMethod.POST, target, TRAEFIK);
			this.filter.filter(exchange, chain(forwarded)).block();
			assertThat(forwarded.get()).as(target).isNull();
			assertThat(exchange.getResponse().getStatusCode()).as(target).isEqualTo(HttpStatus.NOT_FOUND);
			assertThat(GatewayExchange.denial(exchange).kind()).isEqualTo(RefusalReason.NO_SUCH_OBJECT);
		}
		assertThat(this.lookups).as("a reference no container can have is not looked up")
			.containsExactly("CONTAINER nothing", "EXEC nothing");
	}

	@Test
	void anExecStartIsJudgedByItsContainerBeforeTheUpgrade() {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		MockServerWebExchange exchange = exchange(HttpMethod.POST, "/v1.41/exec/e1/start", TRAEFIK);
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("{\"message\":\"No such exec instance: e1\"}\n");
	}

	@Test
	void anotherOwnersContainerIsA403() {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		MockServerWebExchange exchange = exchange(HttpMethod.POST, "/containers/db/stop", CI);
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(GatewayExchange.denial(exchange).reason()).isEqualTo("not owned: container db");

		AtomicReference<ServerWebExchange> own = new AtomicReference<>();
		this.filter.filter(exchange(HttpMethod.POST, "/containers/aaaa/stop", CI), chain(own)).block();
		assertThat(own.get().getRequest().getURI().getRawPath()).isEqualTo("/containers/" + WEB_ID + "/stop");
	}

	@Test
	void aScopeIsEnforcedInReportOnlyModeToo() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/containers/db/json", TRAEFIK);
		Admission.Verdict allowed = GatewayExchange.verdict(exchange);
		GatewayExchange.putVerdict(exchange, new Admission.Verdict(Admission.Decision.REPORTED, allowed.rules(),
				allowed.target(), Denial.PATH_NOT_ALLOWED));
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void aFailedLookupIsA502() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/containers/broken/json", TRAEFIK);
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		this.filter.filter(exchange, chain(forwarded)).block();

		assertThat(forwarded.get()).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(GatewayExchange.denial(exchange).kind()).isEqualTo(RefusalReason.OBJECT_LOOKUP_FAILED);
	}

	@Test
	void clientsWithoutAScopeAndEndpointsOutsideItPassUntouched() {
		for (MockServerWebExchange exchange : List.of(exchange(HttpMethod.GET, "/containers/db/json", ObjectScope.NONE),
				exchange(HttpMethod.GET, "/containers/json", TRAEFIK), exchange(HttpMethod.DELETE, "/networks/n", TRAEFIK),
				exchange(HttpMethod.GET, "/v1.41/version", CI))) {
			AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
			this.filter.filter(exchange, chain(forwarded)).block();
			assertThat(forwarded.get()).isSameAs(exchange);
		}
		assertThat(this.lookups).isEmpty();
	}

	private static GatewayFilterChain chain(AtomicReference<ServerWebExchange> forwarded) {
		return (exchange) -> {
			forwarded.set(exchange);
			return Mono.empty();
		};
	}

	static MockServerWebExchange exchange(HttpMethod method, String target, ObjectScope scope) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method, target));
		ClientRules rules = new ClientRules("scoped", MethodRules.compile(Map.of("GET", List.of(".*"))),
				new BindMountPolicy(List.of()), ImagePolicy.NONE, false, scope);
		GatewayExchange.putVerdict(exchange,
				new Admission.Verdict(Admission.Decision.ALLOWED, rules, RequestTarget.parse(target), null));
		return exchange;
	}

}
