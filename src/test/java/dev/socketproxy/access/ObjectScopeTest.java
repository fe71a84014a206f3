package dev.socketproxy.access;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.socketproxy.config.AccessRules.VisibleContainers;
import dev.socketproxy.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObjectScopeTest {

	@Test
	void withoutOwnerOrVisibleContainersEverythingIsInScope() {
		ObjectScope scope = ObjectScope.compile("socketproxy", "socket-proxy", null, VisibleContainers.ALL);
		assertThat(scope).isSameAs(ObjectScope.NONE);
		assertThat(scope.limited()).isFalse();
		assertThat(scope.owns(Map.of())).isTrue();
		assertThat(scope.shows(List.of("/anything"), Map.of())).isTrue();
	}

	@Test
	void anOwnerOwnsOnlyWhatCarriesItsLabel() {
		ObjectScope scope = ObjectScope.compile("socketproxy", "acme", "ci-1", VisibleContainers.ALL);
		assertThat(scope.ownerLabel()).isEqualTo("acme.owner");
		assertThat(scope.owns(Map.of("acme.owner", "ci-1"))).isTrue();
		assertThat(scope.owns(Map.of("acme.owner", "ci-2"))).isFalse();
		assertThat(scope.owns(Map.of("socket-proxy.owner", "ci-1"))).isFalse();
		assertThat(scope.owns(Map.of())).isFalse();
		assertThat(scope.limitsVisibility()).isFalse();
	}

	@Test
	void aContainerIsVisibleByAWholeNameOrByALabel() {
		ObjectScope scope = ObjectScope.compile("socketproxy", "socket-proxy", null,
				new VisibleContainers(List.of("web-[0-9]+"), List.of("traefik.enable=true", "team")));
		assertThat(scope.shows(List.of("/web-1"), Map.of())).isTrue();
		assertThat(scope.shows(List.of("web-12"), Map.of())).isTrue();
		assertThat(scope.shows(List.of("/web-1-old"), Map.of())).isFalse();
		assertThat(scope.shows(List.of("/db"), Map.of("traefik.enable", "true"))).isTrue();
		assertThat(scope.shows(List.of("/db"), Map.of("traefik.enable", "false"))).isFalse();
		assertThat(scope.shows(List.of("/db"), Map.of("team", ""))).isTrue();
		assertThat(scope.shows(List.of("/db"), Map.of())).isFalse();
	}

	@Test
	void aNamePatternThatDoesNotCompileNamesItsKey() {
		assertThatThrownBy(() -> ObjectScope.compile("socketproxy.profiles[dash]", "socket-proxy", null,
				new VisibleContainers(List.of("web-("), List.of())))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("socketproxy.profiles[dash].visible-containers.names");
	}

}
