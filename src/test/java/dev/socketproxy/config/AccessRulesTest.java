package dev.socketproxy.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AccessRulesTest {

	@Test
	void bindMountDirectoriesMustBeAbsolute() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules(Map.of(), List.of("/srv/data", "data"), null, false, List.of(), false, null, null))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("socketproxy.allow-bind-mount-from");
				assertThat(ex.getValue()).isEqualTo("data");
			});
		assertThat(new AccessRules(Map.of(), List.of(" /srv/data ", "/home"), null, false, List.of(), false, null, null).allowBindMountFrom())
			.containsExactly("/srv/data", "/home");
	}

	@Test
	void profilesNeedAUniqueNameAndClients() {
		AccessRules.Profile traefik = new AccessRules.Profile("traefik", List.of("10.0.0.2"), Map.of("get", List.of("/x")),
				null, false, List.of(), false, null, null);
		assertThat(traefik.allow()).containsOnlyKeys("GET");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules(null, null, List.of(traefik, traefik), false, List.of(), false, null, null))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.profiles[1].name"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules.Profile("traefik", List.of(), Map.of(), null, false, List.of(), false, null, null))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.profiles[traefik].clients"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules.Profile("no spaces", List.of("10.0.0.2"), Map.of(), null, false, List.of(), false, null, null))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo("no spaces"));
	}

	@Test
	void aRulesFileHoldsOnlyRules() {
		AccessRules rules = parse("""
				socketproxy:
				  allow:
				    GET: ['/v1\\.[0-9]+/version']
				  allow-bind-mount-from: [/srv]
				  profiles:
				    - name: traefik
				      clients: [10.0.0.2]
				      allow:
				        GET: ['/v1\\.[0-9]+/events']
				""");
		assertThat(rules.allow()).containsEntry("GET", List.of("/v1\\.[0-9]+/version"));
		assertThat(rules.allowBindMountFrom()).containsExactly("/srv");
		assertThat(rules.profiles()).singleElement().satisfies((profile) -> {
			assertThat(profile.name()).isEqualTo("traefik");
			assertThat(profile.clients()).containsExactly("10.0.0.2");
		});

		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> parse("socketproxy:\n  allow:\n    GET: [/x]\n  proxy-port: 1\n"))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.proxy-port"));
		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> parse(""))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("holds no rules under socketproxy:"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> parse("socketproxy:\n  allow: [unclosed\n"))
			.satisfies((ex) -> assertThat(ex.getReason()).startsWith("not valid YAML"));
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> parse("socketproxy:\n  profiles:\n    - name: a\n      allow: {GET: [/x]}\n"))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socketproxy.profiles[a].clients"));
	}

	@Test
	void aRulesFileHoldsImageRulesAndRedactionAtTheTopAndPerProfile() {
		AccessRules rules = parse("""
				socketproxy:
				  allow:
				    POST: ['/images/create']
				  redact-env: true
				  allow-images: ['docker\\.io/library/.*']
				  refuse-latest: true
				  profiles:
				    - name: traefik
				      clients: [10.0.0.2]
				      redact-env: true
				    - name: ci
				      clients: [10.0.0.3]
				      allow-images: ['ghcr\\.io/acme/.*']
				""");

		assertThat(rules.redactEnv()).isTrue();
		assertThat(rules.allowImages()).containsExactly("docker\\.io/library/.*");
		assertThat(rules.refuseLatest()).isTrue();
		assertThat(rules.profiles()).extracting(AccessRules.Profile::redactEnv).containsExactly(true, false);
		assertThat(rules.profiles()).extracting(AccessRules.Profile::allowImages)
			.containsExactly(List.of(), List.of("ghcr\\.io/acme/.*"));
		assertThat(rules.profiles()).extracting(AccessRules.Profile::refuseLatest).containsExactly(false, false);
		assertThat(new AccessRules(Map.of(), null, null, false, List.of(), false, null, null).redactEnv()).isFalse();
	}

	@Test
	void aRulesFileHoldsScopesAtTheTopAndPerProfile() {
		AccessRules rules = parse("""
				socketproxy:
				  owner: tenant-a
				  profiles:
				    - name: traefik
				      clients: [10.0.0.2]
				      visible-containers:
				        names: ['web-.*']
				        labels: [traefik.enable=true]
				    - name: ci
				      clients: [10.0.0.3]
				      owner: ci-runner-1
				""");

		assertThat(rules.owner()).isEqualTo("tenant-a");
		assertThat(rules.visibleContainers().limited()).isFalse();
		assertThat(rules.profiles()).extracting(AccessRules.Profile::owner).containsExactly(null, "ci-runner-1");
		assertThat(rules.profiles().get(0).visibleContainers())
			.isEqualTo(new AccessRules.VisibleContainers(List.of("web-.*"), List.of("traefik.enable=true")));
	}

	@Test
	void anOwnerIsAPlainLabelValueAndALabelSelectorHasAKey() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules(null, null, null, false, List.of(), false, "a b", null))
			.withMessageContaining("socketproxy.owner='a b'");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules.Profile("ci", List.of("10.0.0.3"), Map.of(), null, false, List.of(), false,
					"x\"}", null))
			.withMessageContaining("socketproxy.profiles[ci].owner");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> new AccessRules.VisibleContainers(List.of(), List.of("=true")))
			.withMessageContaining("visible-containers.labels");
		assertThat(new AccessRules(null, null, null, false, List.of(), false, " ", null).owner()).isNull();
	}

	private static AccessRules parse(String yaml) {
		return RulesFile.parse("rules.yaml", yaml.getBytes(StandardCharsets.UTF_8));
	}

}
