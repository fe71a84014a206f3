package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BindMountPolicyTest {

	private final BindMountPolicy policy = new BindMountPolicy(List.of("/srv/data/", "/home/shared"));

	@ParameterizedTest
	@ValueSource(strings = { "{\"HostConfig\":{\"Binds\":[\"/srv/data:/x\",\"/srv/data/a/../b:/y:ro\",\"named:/z\",\"/anon\"]}}",
			"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/home/shared//x/\"},{\"Type\":\"volume\",\"Source\":\"v\"}]}}",
			"{\"HostConfig\":null}", "{}" })
	void allowsSourcesInsideTheDirectories(String json) {
		assertThat(this.policy.violation(InspectedEndpoint.CONTAINER_CREATE, parse(json))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/etc:/x"]}}                           | /etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/srv/data/../../etc:/x"]}}            | /srv/data/../../etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Binds":["/srv/database:/x"]}}                  | /srv/database is outside the allowed directories
			CONTAINER_CREATE | {"Binds":["/:/x"]}                                              | / is outside the allowed directories
			CONTAINER_UPDATE | {"hostconfig":{"mounts":[{"type":"Bind","source":"/etc"}]}}     | /etc is outside the allowed directories
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"bind","Source":"etc"}]}}      | bind source etc is not an absolute path
			CONTAINER_CREATE | {"HostConfig":{"Mounts":[{"Type":"volume","VolumeOptions":{"DriverConfig":{"Options":{"o":"ro,rbind","device":"/etc"}}}}]}} | /etc is outside the allowed directories
			CONTAINER_START  | {"VolumesFrom":["other:ro"]}                                    | VolumesFrom is not allowed
			SERVICE_UPDATE   | {"TaskTemplate":{"ContainerSpec":{"Mounts":[{"Type":"bind","Source":"/var/run"}]}}} | /var/run is outside the allowed directories
			VOLUME_CREATE    | {"DriverOpts":{"o":"bind","device":"/root"}}                    | /root is outside the allowed directories
			""")
	void refusesEverythingElse(InspectedEndpoint endpoint, String json, String violation) {
		assertThat(this.policy.violation(endpoint, parse(json))).hasValue(violation);
	}

	@Test
	void cleansLikeGo() {
		assertThat(BindMountPolicy.clean("/a/./b/../../..//c/")).isEqualTo("/c");
		assertThat(BindMountPolicy.clean("/")).isEqualTo("/");
	}

	@Test
	void offWithoutDirectories() {
		BindMountPolicy off = new BindMountPolicy(List.of());
		assertThat(off.enabled()).isFalse();
		assertThat(off.violation(InspectedEndpoint.CONTAINER_CREATE, parse("{\"Binds\":[\"/:/x\"]}"))).isEmpty();
	}

	static Object parse(String json) {
		return EngineJson.parse(json.getBytes(StandardCharsets.UTF_8));
	}

}
