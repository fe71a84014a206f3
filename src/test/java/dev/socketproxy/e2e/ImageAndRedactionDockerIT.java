package dev.socketproxy.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code redact-env}, {@code allow-images} and {@code refuse-latest} with the docker CLI
 * through the proxy to a real dockerd: {@code docker inspect} shows every environment
 * value redacted and everything else as dockerd has it; {@code docker run} and
 * {@code docker pull} of a refused image get the proxy's 403 and leave nothing behind,
 * while an allowed image reaches the engine (and, with no registry reachable, fails there).
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageAndRedactionDockerIT {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	/** The harness's image under a version tag, which {@code refuse-latest} lets pass. */
	private static final String PINNED = "mini:1";

	/** An allowed name no registry serves: the engine, not the proxy, fails the pull. */
	private static final String UNREACHABLE = "registry.invalid/allowed/app:1";

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		docker.docker("tag", DockerDaemon.IMAGE, PINNED);
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(), "-allowHEAD=/_ping",
				"-allowGET=/_ping|/version|/v1\\.\\d+/.*",
				"-allowPOST=/v1\\.\\d+/(containers/(create|[^/]+/start)|images/create)", "--socketproxy.redact-env=true",
				"--socketproxy.allow-images[0]=docker\\.io/library/mini:[0-9]+",
				"--socketproxy.allow-images[1]=registry\\.invalid/allowed/.*", "--socketproxy.refuse-latest=true");
	}

	@AfterAll
	void stop() {
		this.proxy.close();
		this.docker.docker("rmi", PINNED);
	}

	@AfterEach
	void removeContainers() {
		this.docker.removeAllContainers();
	}

	@Test
	void dockerInspectShowsEnvKeysOnlyAndEverythingElseAsDockerdHasIt() {
		assertThat(this.docker.docker("run", "-d", "--name", "secretive", "-e", "DB_PASSWORD=hunter2", "-e", "TOKEN=a=b",
				"--label", "traefik.enable=true", "--label", "traefik.http.routers.web.rule=Host(`example.com`)",
				PINNED, "sleep", "300").exitCode()).isZero();

		String proxied = Command.succeeded(cli("inspect", "secretive"));
		String direct = Command.succeeded(this.docker.docker("inspect", "secretive"));

		assertThat(direct).contains("hunter2");
		assertThat(proxied).doesNotContain("hunter2", "a=b").contains("\"DB_PASSWORD=<redacted>\"", "\"TOKEN=<redacted>\"");
		JsonNode expected = MAPPER.readTree(direct);
		ArrayNode env = (ArrayNode) expected.get(0).get("Config").get("Env");
		for (int i = 0; i < env.size(); i++) {
			String entry = env.get(i).asString();
			env.set(i, entry.substring(0, entry.indexOf('=') + 1) + "<redacted>");
		}
		assertThat(MAPPER.readTree(proxied)).isEqualTo(expected);
		ObjectNode labels = (ObjectNode) MAPPER.readTree(proxied).get(0).get("Config").get("Labels");
		assertThat(labels.get("traefik.http.routers.web.rule").asString()).isEqualTo("Host(`example.com`)");
		assertThat(Command.succeeded(cli("inspect", "--format", "{{json .NetworkSettings}}", "secretive")))
			.isEqualTo(Command.succeeded(this.docker.docker("inspect", "--format", "{{json .NetworkSettings}}", "secretive")));
	}

	@Test
	void runOfAnAllowedPinnedImageRuns() {
		Command.Result run = cli("run", "-d", "--name", "allowed", PINNED, "sleep", "300");

		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(this.docker.docker("ps", "--format", "{{.Names}}").stdout()).isEqualTo("allowed\n");
	}

	@Test
	void runOfARefusedOrLatestImageIsRefusedByTheProxy() {
		Command.Result other = cli("run", "-d", "redis:7");
		Command.Result latest = cli("run", "-d", DockerDaemon.IMAGE, "sleep", "300");
		Command.Result byId = cli("run", "-d", imageId().substring(0, 12), "sleep", "300");

		assertThat(other.stderr()).contains("Error response from daemon: Forbidden: image not allowed: docker.io/library/redis:7");
		assertThat(latest.stderr())
			.contains("Forbidden: image not allowed: docker.io/library/mini:latest (latest or untagged)");
		assertThat(byId.stderr()).contains("Forbidden: image not allowed: ", "may name an image by ID");
		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEmpty();
	}

	@Test
	void pullOfARefusedImageIsRefusedByTheProxyWhileAnAllowedOneFailsInTheEngine() {
		Command.Result refused = cli("pull", "redis:7");
		Command.Result untagged = cli("pull", "mini");
		Command.Result allowed = cli("pull", UNREACHABLE);

		assertThat(refused.exitCode()).isNotZero();
		assertThat(refused.stderr()).contains("Forbidden: image not allowed: docker.io/library/redis:7");
		assertThat(untagged.stderr()).contains("Forbidden: image not allowed: docker.io/library/mini:latest");
		assertThat(allowed.exitCode()).isNotZero();
		assertThat(allowed.stderr()).as(allowed.toString()).contains("Error response from daemon", "registry.invalid")
			.doesNotContain("Forbidden", "image not allowed");
	}

	@Test
	void runOfAnAllowedImageThatIsNotThereIsPulledByTheEngine() {
		Command.Result run = cli("run", "-d", UNREACHABLE);

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stderr()).as(run.toString()).contains("Unable to find image '" + UNREACHABLE + "' locally")
			.contains("registry.invalid")
			.doesNotContain("Forbidden");
	}

	private String imageId() {
		return this.docker.docker("image", "inspect", "--format", "{{.Id}}", PINNED).stdout().trim().replace("sha256:", "");
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

}
