package dev.socketproxy.scope;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.scope.EngineObject.Kind;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectPathTest {

	@ParameterizedTest
	@CsvSource({ "GET, /v1.41/containers/web/json, CONTAINER, web, /v1.41/containers/ID/json",
			"GET, /containers/web/logs?follow=1, CONTAINER, web, /containers/ID/logs",
			"GET, /v1/containers/4fa6/attach/ws, CONTAINER, 4fa6, /v1/containers/ID/attach/ws",
			"POST, /v1.41.0/containers/web/attach, CONTAINER, web, /v1.41.0/containers/ID/attach",
			"POST, /containers/web/exec, CONTAINER, web, /containers/ID/exec",
			"HEAD, /containers/web/archive, CONTAINER, web, /containers/ID/archive",
			"DELETE, /containers/web, CONTAINER, web, /containers/ID",
			"DELETE, /containers/json, CONTAINER, json, /containers/ID",
			"GET, /containers/create/json, CONTAINER, create, /containers/ID/json",
			"POST, /containers/web/json, CONTAINER, web, /containers/ID/json",
			"GET, /containers/a/b/logs, CONTAINER, a/b, /containers/ID/logs",
			"DELETE, /containers/a/b, CONTAINER, a/b, /containers/ID",
			"POST, /exec/9e2f/start, EXEC, 9e2f, /exec/ID/start", "GET, /v1.41/exec/9e2f/json, EXEC, 9e2f, /v1.41/exec/ID/json",
			"GET, /networks/web-net, NETWORK, web-net, /networks/ID",
			"DELETE, /networks/web-net, NETWORK, web-net, /networks/ID",
			"GET, /networks/create, NETWORK, create, /networks/ID",
			"POST, /networks/web-net/connect, NETWORK, web-net, /networks/ID/connect",
			"POST, /networks/web-net/disconnect, NETWORK, web-net, /networks/ID/disconnect",
			"GET, /volumes/data, VOLUME, data, /volumes/ID", "DELETE, /volumes/data, VOLUME, data, /volumes/ID",
			"PUT, /volumes/data, VOLUME, data, /volumes/ID",
			"GET, /images/registry.example:5000/ci/app:1.2/json, IMAGE, registry.example:5000/ci/app:1.2, /images/ID/json",
			"GET, /v1.41/images/nginx/history, IMAGE, nginx, /v1.41/images/ID/history",
			"GET, /images/nginx@sha256:abcd/get, IMAGE, nginx@sha256:abcd, /images/ID/get",
			"POST, /images/ci/app:1/push, IMAGE, ci/app:1, /images/ID/push",
			"POST, /images/ci/app:1/tag?repo=x, IMAGE, ci/app:1, /images/ID/tag",
			"DELETE, /images/ci/app:1, IMAGE, ci/app:1, /images/ID",
			"DELETE, /images/json, IMAGE, json, /images/ID" })
	void perIdPathsNameTheirObject(String method, String target, Kind kind, String reference, String rewritten) {
		ObjectPath path = ObjectPath.of(method, RequestTarget.parse(target)).orElseThrow();

		assertThat(path.kind()).isEqualTo(kind);
		assertThat(path.reference()).isEqualTo(reference);
		assertThat(path.rawPathWith("ID")).isEqualTo(rewritten);
	}

	@ParameterizedTest
	@CsvSource({ "GET, /containers/json", "GET, /v1.41/containers/json", "POST, /containers/create",
			"POST, /v1.41/containers/prune", "GET, /networks", "POST, /networks/create", "POST, /networks/prune",
			"GET, /volumes", "POST, /volumes/create", "POST, /volumes/prune", "GET, /images/json", "GET, /images/search",
			"GET, /images/get", "POST, /images/create", "POST, /images/load", "POST, /images/prune", "GET, /events",
			"GET, /v1.41/version", "GET, /info", "POST, /build", "GET, /containersx/web/json" })
	void collectionsAndOtherEndpointsNameNoObject(String method, String target) {
		assertThat(ObjectPath.of(method, RequestTarget.parse(target))).isEmpty();
	}

	@Test
	void theRawReferenceIsReplacedAndTheDecodedOneLookedUp() {
		ObjectPath path = ObjectPath.of("GET", RequestTarget.parse("/v1.41/containers/w%65b/json")).orElseThrow();
		assertThat(path.reference()).isEqualTo("web");
		assertThat(path.rawPathWith("4fa6")).isEqualTo("/v1.41/containers/4fa6/json");

		ObjectPath image = ObjectPath.of("DELETE", RequestTarget.parse("/v1.41/images/ci/app%3A1")).orElseThrow();
		assertThat(image.reference()).isEqualTo("ci/app:1");
		assertThat(image.rawBefore()).isEqualTo("/v1.41/images/");
	}

	@Test
	void containerAndExecReferencesMustBeNamesOrIds() {
		assertThat(wellFormed("GET", "/containers/web-1_a.b/json")).isTrue();
		assertThat(wellFormed("GET", "/containers/4/json")).isTrue();
		assertThat(wellFormed("GET", "/containers/a/b/logs")).isFalse();
		assertThat(wellFormed("GET", "/containers/-web/json")).isFalse();
		assertThat(wellFormed("GET", "/containers/w%20b/json")).isFalse();
		assertThat(wellFormed("GET", "/exec/a:b/json")).isFalse();
		assertThat(wellFormed("GET", "/images/ci/app:1/json")).isTrue();
		assertThat(wellFormed("GET", "/networks/a/b")).isTrue();
	}

	@Test
	void anImageIsRewrittenOnlyWhenNamedByItsId() {
		String id = "sha256:" + "ab12".repeat(16);
		EngineObject image = new EngineObject(Kind.IMAGE, id, java.util.List.of("ab12:latest", "nginx:1"), java.util.Map.of(),
				null);
		assertThat(path("/images/" + id + "/json").namesImageById(image)).isTrue();
		assertThat(path("/images/ab12ab/json").namesImageById(image)).isTrue();
		assertThat(path("/images/sha256:ab12ab/json").namesImageById(image)).isTrue();
		assertThat(path("/images/ab12/json").namesImageById(image)).isFalse();
		assertThat(path("/images/nginx:1/json").namesImageById(image)).isFalse();
		assertThat(path("/images/cd34/json").namesImageById(image)).isFalse();
	}

	private static ObjectPath path(String target) {
		return ObjectPath.of("GET", RequestTarget.parse(target)).orElseThrow();
	}

	private static boolean wellFormed(String method, String target) {
		Optional<ObjectPath> path = ObjectPath.of(method, RequestTarget.parse(target));
		return path.orElseThrow().wellFormed();
	}

}
