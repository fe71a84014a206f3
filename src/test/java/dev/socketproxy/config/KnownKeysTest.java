package dev.socketproxy.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.socketproxy.config.KnownKeys.Spelling;

import static org.assertj.core.api.Assertions.assertThat;

class KnownKeysTest {

	private static final KnownKeys KEYS = KnownKeys.of(SocketProxyProperties.class, PresetTranslation.PRESET_KEY);

	@ParameterizedTest
	@ValueSource(strings = { "socketproxy.container-policy.refuse-privileged", "socketproxy.containerPolicy.refusePrivileged",
			"socketproxy.container_policy.refuse_privileged", "socketproxy.containerpolicy.refuseprivileged",
			"socket-proxy.proxy-port", "socketproxy.limits.header-timeout", "socketproxy.learn.enabled",
			"socketproxy.allow-from", "socketproxy.allow-from[0]", "socketproxy.allow-from.1",
			"socketproxy.profiles[0].name", "socketproxy.profiles.0.clients[1]", "socketproxy.profiles[12].allow-bind-mount-from",
			"socketproxy.preset", "socketproxy.limits", "socketproxy.container-policy.allowed-capabilities[0]",
			"socketproxy.redact-env", "socketproxy.allow-images[0]", "socketproxy.refuse-latest",
			"socketproxy.profiles[0].redact-env", "socketproxy.profiles[1].allow-images[2]",
			"socketproxy.profiles[0].refuseLatest" })
	void settingsInAnyRelaxedPropertySpellingAreKnown(String key) {
		assertThat(KEYS.isUnderPrefix(key, Spelling.PROPERTY)).isTrue();
		assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "socketproxy.allow[GET][0]", "socketproxy.allow.GET[0]", "socketproxy.allow.get",
			"socketproxy.allow[anything.with.dots][3]", "socketproxy.profiles[0].allow[POST][0]",
			"socketproxy.profiles[0].allow.delete" })
	void keysBelowAMapAreTheMapsOwn(String key) {
		assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "socketproxy.container-policy.refuse-privilegd, socketproxy.container-policy.refuse-privileged",
			"socketproxy.containerPolicy.refusePrivilegd, socketproxy.container-policy.refuse-privileged",
			"socketproxy.contaner-policy.refuse-privileged, socketproxy.container-policy.refuse-privileged",
			"socketproxy.allow-form, socketproxy.allow-from",
			"socketproxy.profiles[0].xyz, socketproxy.profiles[0].name",
			"socketproxy.profiles[3].clinets, socketproxy.profiles[3].clients",
			"socketproxy.profiles[0].allow-bind-mount-form[0], socketproxy.profiles[0].allow-bind-mount-from",
			"socketproxy.proxy-port.extra, socketproxy.proxy-port", "socketproxy.proxy-port[0], socketproxy.proxy-port",
			"socketproxy.allow-from.first, socketproxy.allow-from", "socketproxy.presett, socketproxy.preset",
			"socketproxy.learn.enable, socketproxy.learn.enabled" })
	void anUnknownPropertyKeyGetsTheNearestValidOne(String key, String nearest) {
		assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).isTrue();
		assertThat(KEYS.nearest(key, Spelling.PROPERTY)).isEqualTo(nearest);
	}

	@ParameterizedTest
	@ValueSource(strings = { "SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED", "socketproxy_containerpolicy_refuseprivileged",
			"SOCKETPROXY_CONTAINER_POLICY_REFUSE_PRIVILEGED", "socketproxy_container_policy_refuse_privileged",
			"SOCKETPROXY_PROXYPORT", "SOCKETPROXY_PROXY_PORT", "SOCKETPROXY_ALLOWFROM_0", "SOCKETPROXY_ALLOW_FROM",
			"SOCKETPROXY_PROFILES_0_NAME", "SOCKETPROXY_PROFILES_0_ALLOW_GET_0", "SOCKETPROXY_PROFILES_0_ALLOWBINDMOUNTFROM",
			"SOCKETPROXY_PROFILES_0_ALLOW_BIND_MOUNT_FROM", "SOCKETPROXY_LEARN_ENABLED", "SOCKETPROXY_LIMITS_HEADERTIMEOUT",
			"SOCKETPROXY_ALLOW_GET", "SOCKETPROXY_PRESET", "SOCKETPROXY_MANAGEMENT_PORT",
			"socketproxy.container-policy.refuse-privileged", "socketproxy.containerPolicy.refusePrivileged",
			"socketproxy.allow.GET[0]" })
	void settingsInEveryVariableSpellingSpringBootBindsAreKnown(String variable) {
		assertThat(KEYS.isUnderPrefix(variable, Spelling.ENVIRONMENT_VARIABLE)).isTrue();
		assertThat(KEYS.isUnknown(variable, Spelling.ENVIRONMENT_VARIABLE)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED",
			"SOCKETPROXY_CONTAINER_POLICY_REFUSE_PRIVILEGD, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED",
			// Spring Boot looks up the legacy form whole: every dash an underscore, or none.
			"SOCKETPROXY_CONTAINERPOLICY_REFUSE_PRIVILEGED, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED",
			// ... and only all upper or all lower case.
			"Socketproxy_Container_Policy_Refuse_Privileged, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED",
			"SOCKETPROXY_PROFILES_2_NMAE, SOCKETPROXY_PROFILES_2_NAME",
			"SOCKETPROXY_PROXYPORT_0, SOCKETPROXY_PROXYPORT",
			// A variable with a dot is read as a dotted key.
			"socketproxy.container-policy.refuse-privilegd, socketproxy.container-policy.refuse-privileged" })
	void anUnknownVariableGetsTheNearestValidOneSpelledAsAVariable(String variable, String nearest) {
		assertThat(KEYS.isUnknown(variable, Spelling.ENVIRONMENT_VARIABLE)).isTrue();
		assertThat(KEYS.nearest(variable, Spelling.ENVIRONMENT_VARIABLE)).isEqualTo(nearest);
	}

	@ParameterizedTest
	@CsvSource({ "spring.config.additional-location, PROPERTY", "server.port, PROPERTY", "management.server.port, PROPERTY",
			"logging.level.dev.socketproxy, PROPERTY", "socketproxyfoo.x, PROPERTY", "socketproxy, PROPERTY",
			"SP_PROXYPORT, ENVIRONMENT_VARIABLE", "SOCKETPROXYX_Y, ENVIRONMENT_VARIABLE", "PATH, ENVIRONMENT_VARIABLE",
			"SERVER_PORT, ENVIRONMENT_VARIABLE", "socketproxy, ENVIRONMENT_VARIABLE" })
	void otherKeysAreNotJudged(String key, Spelling spelling) {
		assertThat(KEYS.isUnknown(key, spelling)).isFalse();
	}

	/** Spring Boot's binder is the judge of which keys it reads: the check must agree with it both ways. */
	@ParameterizedTest
	@CsvSource({ "ENVIRONMENT_VARIABLE, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED, true",
			"ENVIRONMENT_VARIABLE, socketproxy_containerpolicy_refuseprivileged, true",
			"ENVIRONMENT_VARIABLE, Socketproxy_ContainerPolicy_RefusePrivileged, true",
			"ENVIRONMENT_VARIABLE, SOCKETPROXY__CONTAINERPOLICY_REFUSEPRIVILEGED, true",
			"ENVIRONMENT_VARIABLE, SOCKETPROXY_CONTAINER_POLICY_REFUSE_PRIVILEGED, true",
			"ENVIRONMENT_VARIABLE, socketproxy_container_policy_refuse_privileged, true",
			"ENVIRONMENT_VARIABLE, socketproxy.container-policy.refuse-privileged, true",
			"ENVIRONMENT_VARIABLE, socketproxy.containerPolicy.refusePrivileged, true",
			"ENVIRONMENT_VARIABLE, SOCKETPROXY_CONTAINERPOLICY_REFUSE_PRIVILEGED, false",
			"ENVIRONMENT_VARIABLE, Socketproxy_Container_Policy_Refuse_Privileged, false",
			"ENVIRONMENT_VARIABLE, socketproxy.containerPolicy.refusePrivilegd, false",
			"ENVIRONMENT_VARIABLE, SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD, false",
			"PROPERTY, socketproxy.container-policy.refuse-privileged, true",
			"PROPERTY, socketproxy.containerPolicy.refusePrivileged, true",
			"PROPERTY, socketproxy.container_policy.refuse_privileged, true",
			"PROPERTY, socket-proxy.container-policy.refuse-privileged, true",
			"PROPERTY, socketproxy.container-policy.refuse-privilegd, false",
			"PROPERTY, socketproxy.container.policy.refuse-privileged, false" })
	void aKeyIsKnownExactlyWhenSpringBootBindsIt(Spelling spelling, String key, boolean bound) {
		PropertySource<?> source = (spelling == Spelling.ENVIRONMENT_VARIABLE)
				? new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						Map.of(key, "true"))
				: new MapPropertySource("yaml", Map.of(key, "true"));
		SocketProxyProperties properties = new Binder(ConfigurationPropertySources.from(source))
			.bindOrCreate("socketproxy", SocketProxyProperties.class);

		assertThat(properties.containerPolicy().refusePrivileged()).isEqualTo(bound);
		assertThat(KEYS.isUnknown(key, spelling)).isEqualTo(!bound);
	}

	@Test
	void everyKeyTheLegacyFlagsAndVariablesSetIsKnown() {
		LegacyArguments legacy = LegacyArguments.parse(new String[] { "-allowfrom=10.0.0.0/8", "-allowhealthcheck",
				"-listenip=0.0.0.0", "-proxyport=2376", "-logjson", "-loglevel=debug", "-socketpath=/s.sock",
				"-shutdowngracetime=5", "-watchdoginterval=30", "-stoponwatchdog", "-proxysocketendpoint=/p.sock",
				"-proxysocketendpointfilemode=0660", "-allowbindmountfrom=/srv", "-proxycontainername=proxy",
				"-dockerlabelprefix=sp", "-preset=tecnativa", "-learn", "-learnfile=/tmp/l.yaml", "-allowGET=/a",
				"-allowHEAD=/b", "-allowPOST=/c", "-allowPUT=/d", "-allowPATCH=/e", "-allowDELETE=/f",
				"-allowCONNECT=/g", "-allowTRACE=/h", "-allowOPTIONS=/i" }, Map.of("SP_ALLOW_GET_1", "/x"));

		assertThat(legacy.flagProperties().keySet()).hasSize(27)
			.allSatisfy((key) -> assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).as(key).isFalse());
		assertThat(legacy.environmentProperties().keySet())
			.allSatisfy((key) -> assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).as(key).isFalse());
	}

	@Test
	void everyKeyAPresetSetsIsKnown() {
		PresetTranslation translation = PresetTranslation.translate("linuxserver",
				Map.of("CONTAINERS", "1", "POST", "1", "ALLOW_START", "1", "SOCKET_PATH", "/s.sock"));

		assertThat(translation.properties().keySet()).isNotEmpty()
			.allSatisfy((key) -> assertThat(KEYS.isUnknown(key, Spelling.PROPERTY)).as(key).isFalse());
	}

}
