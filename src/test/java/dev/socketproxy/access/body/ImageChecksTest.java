package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.socketproxy.access.ImagePolicy;

import static org.assertj.core.api.Assertions.assertThat;

class ImageChecksTest {

	private static final ImageChecks OFFICIAL = new ImageChecks(ImagePolicy.compile("socketproxy.allow-images",
			List.of("docker\\.io/library/(nginx|busybox):.*", "ghcr\\.io/acme/.*"), false));

	@Test
	void theCreateBodyIsReadAsTheEngineReadsIt() {
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_CREATE, json("{\"Image\":\"nginx:1\"}"))).isEmpty();
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_CREATE, json("{\"image\":\"redis\"}")))
			.contains("docker.io/library/redis:latest");
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_CREATE, json("{\"IMAGE\":\"redis\"}")))
			.contains("docker.io/library/redis:latest");
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_CREATE, json("{\"Cmd\":[\"sh\"]}")))
			.contains("no image named");
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_CREATE, json("{\"Image\":\"4fa6e0f0c678\"}")))
			.contains("4fa6e0f0c678 may name an image by ID");
		assertThat(OFFICIAL.violation(InspectedEndpoint.CONTAINER_UPDATE, json("{\"Image\":\"redis\"}"))).isEmpty();
		assertThat(OFFICIAL.violation(InspectedEndpoint.SERVICE_CREATE,
				json("{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"redis:7\"}}}")))
			.contains("docker.io/library/redis:7");
		assertThat(OFFICIAL.violation(InspectedEndpoint.SERVICE_UPDATE,
				json("{\"TaskTemplate\":{\"PluginSpec\":{\"Name\":\"p\"}}}")))
			.isEmpty();
		assertThat(new ImageChecks(ImagePolicy.NONE).violation(InspectedEndpoint.CONTAINER_CREATE,
				json("{\"Image\":\"redis\"}")))
			.isEmpty();
	}

	private static Object json(String body) {
		return EngineJson.parse(body.getBytes(StandardCharsets.UTF_8));
	}

}
