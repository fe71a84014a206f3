package dev.socketproxy.access.body;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.config.SocketProxyProperties.ContainerPolicy;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerPolicyChecksTest {

	private final ContainerPolicyChecks all = new ContainerPolicyChecks(
			new ContainerPolicy(true, true, true, true, List.of("NET_BIND_SERVICE", "cap_chown"), true, true));

	@ParameterizedTest
	@ValueSource(strings = { "{\"HostConfig\":{\"Privileged\":false,\"NetworkMode\":\"bridge\",\"PidMode\":\"container:x\"}}",
			"{\"HostConfig\":{\"CapAdd\":[\"net_bind_service\",\"CAP_CHOWN\"],\"SecurityOpt\":[\"no-new-privileges:true\",\"seccomp=builtin\"]}}",
			"{\"HostConfig\":{\"Devices\":[],\"CapAdd\":null}}" })
	void allowsOrdinaryContainers(String json) {
		assertThat(this.all.violation(InspectedEndpoint.CONTAINER_CREATE, BindMountChecksTest.parse(json))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			CONTAINER_CREATE | {"HostConfig":{"Privileged":true}}                   | Privileged
			CONTAINER_CREATE | {"privileged":1}                                     | Privileged
			CONTAINER_UPDATE | {"HostConfig":{"IpcMode":"HOST"}}                   | IpcMode host
			CONTAINER_CREATE | {"HostConfig":{"CgroupnsMode":"host"}}              | CgroupnsMode host
			CONTAINER_CREATE | {"HostConfig":{"Devices":[{"PathOnHost":"/dev/kmsg"}]}} | Devices
			CONTAINER_CREATE | {"HostConfig":{"CapAdd":["NET_ADMIN"]}}             | CapAdd NET_ADMIN
			CONTAINER_CREATE | {"HostConfig":{"SecurityOpt":["seccomp:unconfined"]}} | SecurityOpt seccomp:unconfined
			CONTAINER_CREATE | {"HostConfig":{"SecurityOpt":["label=type:spc_t"]}} | SecurityOpt label=type:spc_t
			CONTAINER_START  | {"Binds":[]}                                         | start with a HostConfig body
			EXEC_CREATE      | {"Cmd":["sh"],"privileged":true}                     | Privileged
			SERVICE_CREATE   | {"TaskTemplate":{"ContainerSpec":{"CapabilityAdd":["SYS_PTRACE"]}}} | CapabilityAdd SYS_PTRACE
			""")
	void refusesWhatTheSwitchesForbid(InspectedEndpoint endpoint, String json, String violation) {
		assertThat(this.all.violation(endpoint, BindMountChecksTest.parse(json))).hasValue(violation);
	}

	@Test
	void startWithAnEmptyBodyPasses() {
		assertThat(this.all.violation(InspectedEndpoint.CONTAINER_START, null)).isEmpty();
		assertThat(this.all.violation(InspectedEndpoint.CONTAINER_START, BindMountChecksTest.parse("{}"))).isEmpty();
	}

	@Test
	void eachSwitchIsOffByDefault() {
		ContainerPolicyChecks none = new ContainerPolicyChecks(new ContainerPolicy(false, false, false, false, null, false, false));
		assertThat(none.enabled()).isFalse();
		assertThat(none.violation(InspectedEndpoint.CONTAINER_CREATE,
				BindMountChecksTest.parse("{\"HostConfig\":{\"Privileged\":true,\"CapAdd\":[\"ALL\"]}}"))).isEmpty();

		ContainerPolicyChecks privilegedOnly = new ContainerPolicyChecks(
				new ContainerPolicy(true, false, false, false, null, false, false));
		assertThat(privilegedOnly.violation(InspectedEndpoint.CONTAINER_CREATE,
				BindMountChecksTest.parse("{\"HostConfig\":{\"NetworkMode\":\"host\",\"CapAdd\":[\"ALL\"]}}"))).isEmpty();
	}

}
