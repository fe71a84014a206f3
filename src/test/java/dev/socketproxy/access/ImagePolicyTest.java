package dev.socketproxy.access;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.socketproxy.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ImagePolicyTest {

	private static final ImagePolicy OFFICIAL = ImagePolicy.compile("socketproxy.allow-images",
			List.of("docker\\.io/library/(nginx|busybox):.*", "ghcr\\.io/acme/.*"), false);

	private static final ImagePolicy PINNED = ImagePolicy.compile("socketproxy.allow-images", List.of(), true);

	@Test
	void namedImagesMustMatchOnePatternWhole() {
		assertThat(OFFICIAL.named("nginx")).isEmpty();
		assertThat(OFFICIAL.named("busybox:1.36")).isEmpty();
		assertThat(OFFICIAL.named("ghcr.io/acme/app:1")).isEmpty();
		assertThat(OFFICIAL.named("redis")).contains("docker.io/library/redis:latest");
		assertThat(OFFICIAL.named("evil.example/library/nginx:1")).contains("evil.example/library/nginx:1");
		// Anchored: a pattern that would match inside the name does not match it.
		assertThat(OFFICIAL.named("evil.example/ghcr.io/acme/app")).contains("evil.example/ghcr.io/acme/app:latest");
		assertThat(OFFICIAL.named("ghcr.io/acme/app:1x/../other")).contains("ghcr.io/acme/app:1x/../other is not a valid image name");
		assertThat(ImagePolicy.compile("k", List.of("nginx"), false).named("nginx")).contains("docker.io/library/nginx:latest");
	}

	@Test
	void refuseLatestRefusesLatestAndUntaggedButNotDigests() {
		assertThat(PINNED.named("nginx")).contains("docker.io/library/nginx:latest (latest or untagged)");
		assertThat(PINNED.named("nginx:latest")).contains("docker.io/library/nginx:latest (latest or untagged)");
		assertThat(PINNED.pulled("nginx", "")).contains("docker.io/library/nginx (latest or untagged)");
		assertThat(PINNED.named("nginx:1.27")).isEmpty();
		assertThat(PINNED.named("nginx@sha256:" + "c".repeat(64))).isEmpty();
		assertThat(PINNED.containerImage("4fa6e0f0c678")).contains("docker.io/library/4fa6e0f0c678:latest (latest or untagged)");
	}

	@Test
	void aContainerMayNotNameItsImageByIdWhenPatternsAreSet() {
		assertThat(OFFICIAL.containerImage("4fa6e0f0c678")).contains("4fa6e0f0c678 may name an image by ID");
		assertThat(OFFICIAL.containerImage("sha256:" + "d".repeat(64))).hasValueSatisfying(
				(violation) -> assertThat(violation).endsWith("may name an image by ID"));
		assertThat(OFFICIAL.containerImage("")).contains("no image named");
		assertThat(OFFICIAL.containerImage(null)).contains("no image named");
	}

	@Test
	void aClientsValueIsBoundedAndPrintableInTheReason() {
		assertThat(OFFICIAL.named("a\nb" + "x".repeat(500))).hasValueSatisfying((violation) -> assertThat(violation)
			.startsWith("a?bxxx")
			.hasSizeLessThan(150)
			.doesNotContain("\n"));
	}

	@Test
	void invalidPatternsStopTheStartNamingTheirKey() {
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ImagePolicy.compile("socketproxy.profiles[ci].allow-images", List.of("nginx("), false))
			.withMessageContaining("socketproxy.profiles[ci].allow-images");
		assertThatExceptionOfType(InvalidConfigurationException.class)
			.isThrownBy(() -> ImagePolicy.compile("socketproxy.allow-images", List.of(""), false));
		assertThat(ImagePolicy.compile("k", List.of(), false).enabled()).isFalse();
		assertThat(PINNED.enabled()).isTrue();
	}

}
