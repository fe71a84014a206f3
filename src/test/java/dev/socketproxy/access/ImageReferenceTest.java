package dev.socketproxy.access;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceTest {

	private static final String DIGEST = "sha256:" + "a".repeat(64);

	@ParameterizedTest
	@CsvSource({ "nginx, docker.io/library/nginx:latest", "nginx:1.27, docker.io/library/nginx:1.27",
			"library/nginx, docker.io/library/nginx:latest", "docker.io/nginx, docker.io/library/nginx:latest",
			"index.docker.io/library/nginx:1, docker.io/library/nginx:1",
			"traefik/whoami:v1.10, docker.io/traefik/whoami:v1.10", "ghcr.io/a/b/c:2, ghcr.io/a/b/c:2",
			"localhost/app, localhost/app:latest", "localhost:5000/app:dev, localhost:5000/app:dev",
			"registry:5000/app, registry:5000/app:latest", "Registry/app, Registry/app:latest",
			"[::1]:5000/app:1, [::1]:5000/app:1", "my_org/my-app__x.y, docker.io/my_org/my-app__x.y:latest" })
	void namesAreNormalisedAsDockerDoes(String reference, String normalised) {
		assertThat(ImageReference.parse(reference).map(ImageReference::withDefaultTag).map(ImageReference::toString))
			.contains(normalised);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx@", "busybox:1.36@" })
	void digestsAreKeptAndGetNoTag(String prefix) {
		ImageReference reference = ImageReference.parse(prefix + DIGEST).orElseThrow().withDefaultTag();

		assertThat(reference.digest()).isEqualTo(DIGEST);
		assertThat(reference.toString()).endsWith("@" + DIGEST).doesNotContain(":latest");
		assertThat(reference.unpinnedOrLatest()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "NGINX", "nginx:", "nginx::1", "-nginx", "nginx/", "a//b", "nginx:-1", "ngi nx",
			"nginx@sha256:abc", "nginx:1.2:3", "docker.io/Library/nginx" })
	void invalidReferencesAreNoImage(String reference) {
		assertThat(ImageReference.parse(reference)).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "nginx, 1.27, docker.io/library/nginx:1.27", "nginx:1.25, 1.27, docker.io/library/nginx:1.27",
			"docker.io/library/nginx, latest, docker.io/library/nginx:latest" })
	void aPullCombinesTheNameAndItsTag(String fromImage, String tag, String pulled) {
		assertThat(ImageReference.pulled(fromImage, tag).map(ImageReference::toString)).contains(pulled);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx", "nginx:1.25", "nginx@sha256:" + "b" + "0123456789abcdef0123456789abcdef" })
	void aDigestInTagReplacesTheTagAndDigestOfThePulledName(String fromImage) {
		assertThat(ImageReference.pulled(fromImage, DIGEST).map(ImageReference::toString))
			.contains("docker.io/library/nginx@" + DIGEST);
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx", "docker.io/library/nginx" })
	void aPullWithoutTagFetchesEveryTagAndStaysUntagged(String fromImage) {
		Optional<ImageReference> pulled = ImageReference.pulled(fromImage, "");

		assertThat(pulled.map(ImageReference::toString)).contains("docker.io/library/nginx");
		assertThat(pulled.orElseThrow().unpinnedOrLatest()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "abc", "4fa6e0f0c678", "sha256:4fa6e0f0c678", "cafe" })
	void shortHexNamesMayBeImageIds(String reference) {
		assertThat(ImageReference.mayBeImageId(reference)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "nginx", "cafe:1", "docker.io/library/cafe", "sha256:XYZ" })
	void otherNamesAreNoImageIds(String reference) {
		assertThat(ImageReference.mayBeImageId(reference)).isFalse();
	}

}
