package dev.socketproxy.scope;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.config.AccessRules.VisibleContainers;
import dev.socketproxy.scope.EngineObject.Kind;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectDecisionTest {

	private static final String ID = "4fa6".repeat(16);

	private static final ObjectScope TRAEFIK = ObjectScope.compile("socketproxy", "socket-proxy", null,
			new VisibleContainers(List.of("dash"), List.of("traefik.enable=true")));

	private static final ObjectScope CI = ObjectScope.compile("socketproxy", "socket-proxy", "ci-1", VisibleContainers.ALL);

	private static final EngineObject WEB = new EngineObject(Kind.CONTAINER, ID, List.of("/web"),
			Map.of("traefik.enable", "true"), null);

	private static final EngineObject DB = new EngineObject(Kind.CONTAINER, ID, List.of("/db"), Map.of("socket-proxy.owner", "ci-2"),
			null);

	@Test
	void aVisibleContainerIsForwardedByItsFullId() {
		ObjectDecision decision = ObjectDecision.decide(TRAEFIK, "GET", path("GET", "/containers/web/json"), Optional.of(WEB));
		assertThat(decision.refusal()).isNull();
		assertThat(decision.id()).isEqualTo(ID);
		assertThat(ObjectDecision.decide(TRAEFIK, "GET", path("GET", "/containers/dash/json"),
				Optional.of(new EngineObject(Kind.CONTAINER, ID, List.of("/dash"), Map.of(), null)))
			.refusal()).isNull();
	}

	@Test
	void aHiddenContainerIsA404AsIfItDidNotExist() {
		ObjectDecision decision = ObjectDecision.decide(TRAEFIK, "GET", path("GET", "/containers/db/logs"), Optional.of(DB));
		assertThat(decision.refusal().status()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(decision.refusal().body()).isEqualTo("{\"message\":\"No such container: db\"}");
		assertThat(decision.refusal().kind()).isEqualTo(RefusalReason.NOT_VISIBLE);
		assertThat(decision.refusal().body())
			.isEqualTo(ObjectDecision.decide(TRAEFIK, "GET", path("GET", "/containers/db/logs"), Optional.empty()).refusal().body());
	}

	@Test
	void anExecIsJudgedByItsContainerAndNotRewritten() {
		EngineObject exec = new EngineObject(Kind.EXEC, "9e2f", DB.names(), DB.labels(), ID);
		assertThat(ObjectDecision.decide(TRAEFIK, "POST", path("POST", "/exec/9e2f/start"), Optional.of(exec)).refusal().body())
			.isEqualTo("{\"message\":\"No such exec instance: 9e2f\"}");
		EngineObject visible = new EngineObject(Kind.EXEC, "9e2f", WEB.names(), WEB.labels(), ID);
		ObjectDecision decision = ObjectDecision.decide(TRAEFIK, "POST", path("POST", "/exec/9e2f/start"), Optional.of(visible));
		assertThat(decision.refusal()).isNull();
		assertThat(decision.id()).isNull();
	}

	@Test
	void anotherOwnersObjectIsA403() {
		ObjectDecision decision = ObjectDecision.decide(CI, "POST", path("POST", "/containers/db/stop"), Optional.of(DB));
		assertThat(decision.refusal().status()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(decision.refusal().reason()).isEqualTo("not owned: container db");
		assertThat(decision.refusal().kind()).isEqualTo(RefusalReason.NOT_OWNED);
		EngineObject own = new EngineObject(Kind.NETWORK, "n1", List.of("net"), Map.of("socket-proxy.owner", "ci-1"), null);
		assertThat(ObjectDecision.decide(CI, "DELETE", path("DELETE", "/networks/net"), Optional.of(own)).id()).isEqualTo("n1");
		EngineObject volume = new EngineObject(Kind.VOLUME, "data", List.of("data"), Map.of(), null);
		assertThat(ObjectDecision.decide(CI, "DELETE", path("DELETE", "/volumes/data"), Optional.of(volume)).refusal().reason())
			.isEqualTo("not owned: volume data");
	}

	@Test
	void imagesWithoutAnOwnerAreReadableOnly() {
		EngineObject nginx = new EngineObject(Kind.IMAGE, "sha256:" + ID, List.of("nginx:1"), Map.of(), null);
		assertThat(ObjectDecision.decide(CI, "GET", path("GET", "/images/nginx:1/json"), Optional.of(nginx)).refusal()).isNull();
		assertThat(ObjectDecision.decide(CI, "GET", path("GET", "/images/nginx:1/json"), Optional.of(nginx)).id()).isNull();
		assertThat(ObjectDecision.decide(CI, "DELETE", path("DELETE", "/images/nginx:1"), Optional.of(nginx)).refusal().status())
			.isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(ObjectDecision.decide(CI, "POST", path("POST", "/images/nginx:1/tag"), Optional.of(nginx)).refusal())
			.isNotNull();
		EngineObject others = new EngineObject(Kind.IMAGE, "sha256:" + ID, List.of("ci:2"), Map.of("socket-proxy.owner", "ci-2"),
				null);
		assertThat(ObjectDecision.decide(CI, "GET", path("GET", "/images/ci:2/json"), Optional.of(others)).refusal()).isNotNull();
		EngineObject own = new EngineObject(Kind.IMAGE, "sha256:" + ID, List.of("ci:1"), Map.of("socket-proxy.owner", "ci-1"), null);
		assertThat(ObjectDecision.decide(CI, "DELETE", path("DELETE", "/images/4fa64fa6"), Optional.of(own)).id())
			.isEqualTo("sha256:" + ID);
	}

	@Test
	void whoDecidesOnWhat() {
		assertThat(ObjectDecision.decides(TRAEFIK, Kind.CONTAINER)).isTrue();
		assertThat(ObjectDecision.decides(TRAEFIK, Kind.EXEC)).isTrue();
		assertThat(ObjectDecision.decides(TRAEFIK, Kind.NETWORK)).isFalse();
		assertThat(ObjectDecision.decides(TRAEFIK, Kind.IMAGE)).isFalse();
		assertThat(ObjectDecision.decides(CI, Kind.VOLUME)).isTrue();
		assertThat(ObjectDecision.decides(CI, Kind.IMAGE)).isTrue();
	}

	@Test
	void unknownObjectsGetTheEnginesOwnMessageAndLongReferencesAreCut() {
		assertThat(ObjectDecision.notFound(Kind.NETWORK, "n\"x").body()).isEqualTo("{\"message\":\"network n\\\"x not found\"}");
		assertThat(ObjectDecision.notFound(Kind.VOLUME, "v").body()).isEqualTo("{\"message\":\"get v: no such volume\"}");
		assertThat(ObjectDecision.notFound(Kind.IMAGE, "i").body()).isEqualTo("{\"message\":\"No such image: i\"}");
		assertThat(ObjectDecision.notFound(Kind.IMAGE, "i").kind()).isEqualTo(RefusalReason.NO_SUCH_OBJECT);
		assertThat(ObjectDecision.notOwned(Kind.IMAGE, "x".repeat(300)).reason()).hasSize("not owned: image ".length() + 129);
	}

	private static ObjectPath path(String method, String target) {
		return ObjectPath.of(method, RequestTarget.parse(target)).orElseThrow();
	}

}
