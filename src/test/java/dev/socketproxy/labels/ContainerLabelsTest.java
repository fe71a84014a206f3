package dev.socketproxy.labels;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.MethodRules.Verdict;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ContainerLabelsTest {

	private static final ClientRules DEFAULTS = new ClientRules(ClientRules.DEFAULT_NAME,
			MethodRules.compile(Map.of("GET", List.of("/_ping"))), new BindMountPolicy(List.of("/srv/default")),
			ImagePolicy.compile("socketproxy.allow-images", List.of("docker\\.io/library/busybox:.*"), true), true, ObjectScope.NONE);

	private final ContainerLabels labels = new ContainerLabels("socket-proxy", () -> DEFAULTS);

	@Test
	void methodLabelsInAnyCaseAndNumberedBecomeRulesOfThatMethod() {
		ClientRules rules = this.labels
			.rules("traefik", Map.of("socket-proxy.allow.get", "/v1\\..*/version", "socket-proxy.allow.GET.1", "/_ping",
					"socket-proxy.allow.Head.anything", "/_ping", "com.example.other", "x"))
			.orElseThrow();

		assertThat(rules.name()).isEqualTo("traefik");
		assertThat(rules.rules().evaluate("GET", "/v1.41/version")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.rules().evaluate("GET", "/_ping")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.rules().evaluate("HEAD", "/_ping")).isEqualTo(Verdict.ALLOWED);
		assertThat(rules.rules().evaluate("GET", "/v1.41/containers/json")).isEqualTo(Verdict.PATH_NOT_ALLOWED);
		assertThat(rules.rules().evaluate("POST", "/_ping")).isEqualTo(Verdict.METHOD_NOT_ALLOWED);
	}

	@Test
	void noAllowLabelMeansNoRulesOfItsOwn() {
		assertThat(this.labels.rules("plain", Map.of("com.example", "x", "socket-proxy.allow.get", ""))).isEmpty();
		assertThat(this.labels.rules("other-prefix", Map.of("sp.allow.get", "/version"))).isEmpty();
	}

	@Test
	void ownPrefixIsHonoured() {
		Optional<ClientRules> rules = new ContainerLabels("sp", () -> DEFAULTS).rules("c", Map.of("sp.allow.get", "/version"));

		assertThat(rules).isPresent();
		assertThat(rules.get().rules().evaluate("GET", "/version")).isEqualTo(Verdict.ALLOWED);
	}

	@Test
	void bindMountFromLabelReplacesTheConfiguredDirectories() {
		ClientRules own = this.labels
			.rules("c", Map.of("socket-proxy.allow.post", "/containers/create",
					"socket-proxy.allow.bindmountfrom", "/srv/a, /home/b"))
			.orElseThrow();
		ClientRules inherited = this.labels.rules("c", Map.of("socket-proxy.allow.post", "/containers/create"))
			.orElseThrow();

		assertThat(own.bindMounts().toString()).isEqualTo("[/srv/a, /home/b]");
		assertThat(inherited.bindMounts().toString()).isEqualTo("[/srv/default]");
	}

	@Test
	void theDefaultImageRestrictionAndRedactionHoldForEveryLabelledContainer() {
		ClientRules rules = this.labels
			.rules("c", Map.of("socket-proxy.allow.post", "/images/create", "socket-proxy.allow.bindmountfrom", "/srv/a"))
			.orElseThrow();

		assertThat(rules.images()).isSameAs(DEFAULTS.images());
		assertThat(rules.redactEnv()).isTrue();
		assertThat(rules.redacted("/containers/web/json")).isPresent();
	}

	@Test
	void onlyBindMountFromStillMakesAClientWithoutMethods() {
		ClientRules rules = this.labels.rules("c", Map.of("socket-proxy.allow.bindmountfrom", "/srv")).orElseThrow();

		assertThat(rules.rules().evaluate("GET", "/version")).isEqualTo(Verdict.METHOD_NOT_ALLOWED);
	}

	@Test
	void badRegexNamesTheLabelAndValue() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.labels.rules("c",
					Map.of("socket-proxy.allow.get", "/version", "socket-proxy.allow.get.2", "/containers(")))
			.satisfies((ex) -> {
				assertThat(ex.getKey()).isEqualTo("socket-proxy.allow.get.2");
				assertThat(ex.getValue()).isEqualTo("/containers(");
				assertThat(ex.getReason()).contains("not a valid RE2 regular expression");
			});
	}

	@Test
	void unknownAllowLabelIsAnErrorNotIgnored() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.labels.rules("c", Map.of("socket-proxy.allow.gett", "/version")))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socket-proxy.allow.gett"));
	}

	@Test
	void relativeBindMountDirectoryIsAnError() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> this.labels.rules("c", Map.of("socket-proxy.allow.bindmountfrom", "/srv,data")))
			.satisfies((ex) -> assertThat(ex.getKey()).isEqualTo("socket-proxy.allow.bindmountfrom"));
	}

}
