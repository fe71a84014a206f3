package dev.socketproxy.scope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.config.AccessRules;

import static dev.socketproxy.scope.ScopedExchanges.OWNED;
import static dev.socketproxy.scope.ScopedExchanges.UNSCOPED;
import static dev.socketproxy.scope.ScopedExchanges.exchange;
import static dev.socketproxy.scope.ScopedExchanges.run;
import static org.assertj.core.api.Assertions.assertThat;

class ScopedReferencesFilterTest {

	private static final Map<String, String> MINE = Map.of("socket-proxy.owner", "tenant-a");

	private static final Map<String, String> THEIRS = Map.of("socket-proxy.owner", "tenant-b");

	/** A stand-in for the engine's objects: mine, theirs, unlabelled; {@code broken} fails; anything else is unknown. */
	private final List<String> asked = new CopyOnWriteArrayList<>();

	private final EngineObjects objects = (kind, reference) -> {
		this.asked.add(kind + " " + reference);
		return switch (reference) {
			case "broken" -> Mono.error(new IllegalStateException("socket gone"));
			case "mine", "theirs", "plain" -> Mono.just(Optional.of(new EngineObject(kind, reference + "-id", List.of(),
					reference.equals("mine") ? MINE : reference.equals("theirs") ? THEIRS : Map.of(), null)));
			default -> Mono.just(Optional.empty());
		};
	};

	private final ScopedReferencesFilter filter = new ScopedReferencesFilter(this.objects);

	@Test
	void ownedAndUnknownReferencesAreForwarded() {
		assertThat(run(this.filter, create("{\"HostConfig\":{\"Binds\":[\"mine:/d\"],\"VolumesFrom\":[\"nosuch\"]},"
				+ "\"NetworkingConfig\":{\"EndpointsConfig\":{\"mine\":{}}}}"))).isNotNull();
		assertThat(this.asked).containsExactly("VOLUME mine", "CONTAINER nosuch", "NETWORK mine");
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.POST, "/networks/n/connect", null, "{\"Container\":\"mine\"}")))
			.isNotNull();
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.POST, "/v1.47/commit?container=mine&repo=x", null, null)))
			.isNotNull();
	}

	@Test
	void anImageWithoutAnOwnerMayBeUsedButNotAnotherOwnersImage() {
		assertThat(run(this.filter, create("{\"Image\":\"plain\"}"))).isNotNull();
		assertThat(run(this.filter, create("{\"Image\":\"mine\"}"))).isNotNull();
		assertRefused(create("{\"Image\":\"theirs\"}"), HttpStatus.FORBIDDEN, "not owned: image theirs");
	}

	@Test
	void anOldApisStartBodyAndANetworkCreateAreJudgedToo() {
		assertRefused(exchange(OWNED, HttpMethod.POST, "/v1.23/containers/c/start", null, "{\"Binds\":[\"theirs:/t\"]}"),
				HttpStatus.FORBIDDEN, "not owned: volume theirs");
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.POST, "/v1.47/containers/c/start", null, ""))).isNotNull();
		assertRefused(exchange(OWNED, HttpMethod.POST, "/networks/create", null, "{\"ConfigFrom\":{\"Network\":\"plain\"}}"),
				HttpStatus.FORBIDDEN, "not owned: network plain");
	}

	@Test
	void anotherOwnersOrAnUnownedObjectIs403() {
		assertRefused(create("{\"HostConfig\":{\"Binds\":[\"mine:/d\",\"theirs:/t\"]}}"), HttpStatus.FORBIDDEN,
				"not owned: volume theirs");
		assertRefused(create("{\"HostConfig\":{\"PidMode\":\"container:plain\"}}"), HttpStatus.FORBIDDEN,
				"not owned: container plain");
		assertRefused(create("{\"NetworkingConfig\":{\"EndpointsConfig\":{\"theirs\":{}}}}"), HttpStatus.FORBIDDEN,
				"not owned: network theirs");
		assertRefused(exchange(OWNED, HttpMethod.POST, "/networks/n/disconnect", null, "{\"container\":\"theirs\"}"),
				HttpStatus.FORBIDDEN, "not owned: container theirs");
		assertRefused(exchange(OWNED, HttpMethod.POST, "/commit?container=theirs", null, null), HttpStatus.FORBIDDEN,
				"not owned: container theirs");
		assertThat(GatewayExchange.denial(refused(create("{\"Links\":[\"theirs:x\"]}"))).kind())
			.isEqualTo(RefusalReason.NOT_OWNED);
	}

	@Test
	void theReasonIsBounded() {
		String name = "x".repeat(300);
		this.asked.clear();
		MockServerWebExchange exchange = create("{\"HostConfig\":{\"VolumesFrom\":[\"" + name + "\"]}}");
		assertThat(run(new ScopedReferencesFilter((kind, reference) -> Mono
			.just(Optional.of(new EngineObject(kind, "id", List.of(), THEIRS, null)))), exchange)).isNull();
		assertThat(GatewayExchange.denial(exchange).reason()).hasSizeLessThan(200).endsWith("…");
	}

	@Test
	void aReferenceThatCouldNotBeLookedUpIsNeverForwarded() {
		assertRefused(create("{\"HostConfig\":{\"Binds\":[\"broken:/b\",\"mine:/m\"]}}"), HttpStatus.BAD_GATEWAY,
				"object lookup failed: volume");
		assertThat(GatewayExchange.denial(refused(create("{\"HostConfig\":{\"IpcMode\":\"container:broken\"}}"))).kind())
			.isEqualTo(RefusalReason.OBJECT_LOOKUP_FAILED);
	}

	@Test
	void unreadableRequestsAre400() {
		assertRefused(exchange(OWNED, HttpMethod.POST, "/commit?container=a&container=b", null, null),
				HttpStatus.BAD_REQUEST, "ambiguous query: container given more than once");
		assertRefused(exchange(OWNED, HttpMethod.POST, "/commit?container=mine", "application/x-www-form-urlencoded", null),
				HttpStatus.BAD_REQUEST, "form body not inspected: the engine would read its fields before the query");
		assertRefused(create("{\"HostConfig\":{\"Binds\":[1]}}"), HttpStatus.BAD_REQUEST,
				"malformed JSON: Binds entry must be a string");
		assertRefused(exchange(OWNED, HttpMethod.POST, "/containers/create", null, null), HttpStatus.BAD_REQUEST,
				"request not checked: body not read");
	}

	@Test
	void aHiddenContainerNamedInABodyDoesNotExistForAVisibleContainersClient() {
		ClientRules reader = ScopedExchanges.rules(ObjectScope.compile("k", "socket-proxy", null,
				new AccessRules.VisibleContainers(List.of(), List.of("socket-proxy.owner=tenant-a"))));
		assertThat(run(this.filter, exchange(reader, HttpMethod.POST, "/containers/create", "application/json",
				"{\"HostConfig\":{\"VolumesFrom\":[\"mine\"],\"Binds\":[\"theirs:/t\"]}}"))).isNotNull();
		MockServerWebExchange hidden = exchange(reader, HttpMethod.POST, "/containers/create", "application/json",
				"{\"HostConfig\":{\"NetworkMode\":\"container:plain\"}}");
		assertThat(run(this.filter, hidden)).isNull();
		assertThat(hidden.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(hidden.getResponse().getBodyAsString().block()).isEqualTo("{\"message\":\"No such container: plain\"}\n");
		assertThat(GatewayExchange.denial(hidden).kind()).isEqualTo(RefusalReason.NOT_VISIBLE);
		MockServerWebExchange commit = exchange(reader, HttpMethod.POST, "/commit?container=theirs", null, null);
		assertThat(run(this.filter, commit)).isNull();
		assertThat(commit.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void unscopedClientsAndOtherRequestsAreNotLookedUp() {
		assertThat(run(this.filter, exchange(UNSCOPED, HttpMethod.POST, "/containers/create", null,
				"{\"HostConfig\":{\"Binds\":[\"theirs:/t\"]}}"))).isNotNull();
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.POST, "/containers/theirs/stop", null, ""))).isNotNull();
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.GET, "/commit?container=theirs", null, null))).isNotNull();
		assertThat(this.asked).isEmpty();
	}

	private static MockServerWebExchange create(String body) {
		return exchange(OWNED, HttpMethod.POST, "/v1.47/containers/create?name=a1", "application/json", body);
	}

	private MockServerWebExchange refused(MockServerWebExchange exchange) {
		assertThat(run(this.filter, exchange)).isNull();
		return exchange;
	}

	private void assertRefused(MockServerWebExchange exchange, HttpStatus status, String reason) {
		refused(exchange);
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(status);
		assertThat(GatewayExchange.denial(exchange).reason()).isEqualTo(reason);
		// Docker clients show the message of the engine's error shape, which a 403 keeps.
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo((status == HttpStatus.FORBIDDEN)
				? "{\"message\":\"" + reason + "\"}\n" : status.getReasonPhrase() + ": " + reason + "\n");
	}

}
