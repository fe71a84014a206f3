package dev.socketproxy.scope;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.socketproxy.access.body.EngineJson;
import dev.socketproxy.access.body.InvalidBodyException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ObjectReferencesTest {

	@Test
	void aContainerCreateNamesVolumesContainersAndNetworks() {
		String body = """
				{"Image":"busybox","HostConfig":{
				  "Binds":["data:/data:ro","/srv:/srv","cache:/cache"],
				  "Mounts":[{"Type":"volume","Source":"logs","Target":"/logs"},{"Type":"bind","Source":"/x","Target":"/x"},
				            {"type":"volume","source":"","target":"/anon"}],
				  "NetworkMode":"backend","PidMode":"container:web","IpcMode":"container:db","Cgroup":"container:c1",
				  "VolumesFrom":["store:ro","other"],"Links":["/redis:cache","mq"]},
				 "NetworkingConfig":{"EndpointsConfig":{"frontend":{},"bridge":{}}}}
				""";

		assertThat(ObjectReferences.container(json(body)).stream().map(Object::toString))
			.containsExactly("image busybox", "volume data", "volume cache", "volume logs", "network backend", "container web",
					"container db", "container c1", "container store", "container other", "container redis",
					"container mq", "network frontend");
	}

	@Test
	void predefinedModesAndTopLevelHostSettings() {
		assertThat(ObjectReferences.container(json("{\"HostConfig\":{\"NetworkMode\":\"host\"}}"))).isEmpty();
		assertThat(ObjectReferences.container(json("{\"NetworkMode\":\"container:web\",\"binds\":[\"v:/v\"]}"))
			.stream()
			.map(Object::toString)).containsExactly("volume v", "container web");
		assertThat(ObjectReferences.container(null)).isEmpty();
	}

	@Test
	void aNetworkCreateNamesTheNetworkItTakesItsConfigurationFrom() {
		assertThat(ObjectReferences.networkCreate(json("{\"Name\":\"n\",\"configFrom\":{\"network\":\"base\"}}")).stream()
			.map(Object::toString)).containsExactly("network base");
		assertThat(ObjectReferences.networkCreate(json("{\"Name\":\"n\"}"))).isEmpty();
	}

	@Test
	void aNetworkConnectNamesItsContainer() {
		assertThat(ObjectReferences.networkConnect(json("{\"container\":\"web\",\"Force\":true}")).stream()
			.map(Object::toString)).containsExactly("container web");
		assertThat(ObjectReferences.networkConnect(json("{}"))).isEmpty();
	}

	@Test
	void malformedOrAmbiguousReferencesAreRefused() {
		for (String body : new String[] { "{\"HostConfig\":{\"Binds\":\"v:/v\"}}", "{\"Links\":[1]}",
				"{\"HostConfig\":{\"PidMode\":\"container:a\",\"pidmode\":\"host\"}}" }) {
			assertThatExceptionOfType(InvalidBodyException.class).as(body)
				.isThrownBy(() -> ObjectReferences.container(json(body)));
		}
	}

	private static Object json(String body) {
		return EngineJson.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
