package dev.socketproxy.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bind-mount restriction and the container policy, driven by the docker CLI and by raw
 * JSON through the proxy to a real dockerd: a refused create leaves no container behind,
 * an allowed one runs.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyPolicyDockerIT {

	private static final String CREATE = "/v1.41/containers/create";

	private DockerDaemon docker;

	private RunningProxy proxy;

	private Path allowed;

	@BeforeAll
	void start(DockerDaemon docker) throws Exception {
		this.docker = docker;
		this.allowed = Files.createDirectories(docker.workDir().resolve("allowed"));
		Files.writeString(this.allowed.resolve("hello"), "hello from the host\n");
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(), "-allowHEAD=/_ping", "-allowGET=/_ping|/version|/v1\\.41/.*",
				"-allowPOST=/v1\\.\\d+/(containers/(create|[^/]+/(start|exec))|exec/[^/]+/start)", "-allowbindmountfrom=" + this.allowed,
				"--socketproxy.container-policy.refuse-privileged=true",
				"--socketproxy.container-policy.refuse-host-namespaces=true",
				"--socketproxy.container-policy.refuse-devices=true",
				"--socketproxy.container-policy.restrict-capabilities=true",
				"--socketproxy.container-policy.allowed-capabilities=NET_BIND_SERVICE",
				"--socketproxy.container-policy.refuse-unconfined=true",
				"--socketproxy.container-policy.refuse-start-host-config=true");
	}

	@AfterAll
	void stop() {
		this.proxy.close();
	}

	@AfterEach
	void removeContainers() {
		this.docker.removeAllContainers();
	}

	@Test
	void allowedBindMountRuns() {
		Command.Result run = cli("run", "-d", "--name", "allowed", "-v", this.allowed + ":/x:ro", "--cap-add", "NET_BIND_SERVICE",
				"--security-opt", "no-new-privileges", DockerDaemon.IMAGE, "cat", "/x/hello");

		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(this.docker.docker("wait", "allowed").stdout().trim()).isEqualTo("0");
		assertThat(this.docker.docker("logs", "allowed").stdout()).isEqualTo("hello from the host\n");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-v /etc:/x", "-v ALLOWED/../..:/x", "--mount type=bind,source=/etc,target=/x",
			"--volumes-from allowed", "--privileged", "--cap-add SYS_ADMIN", "--cap-add ALL", "--device /dev/null:/dev/x",
			"--device-cgroup-rule c+*:*+rwm", "--security-opt seccomp=unconfined", "--security-opt apparmor=unconfined",
			"--security-opt label=disable", "--network host", "--pid host", "--ipc host", "--uts host", "--userns host" })
	void refusedCreateLeavesNoContainer(String options) {
		List<String> args = new ArrayList<>(List.of("run", "-d", "--name", "refused"));
		for (String option : options.split(" ")) {
			args.add(option.replace("ALLOWED", this.allowed.toString()).replace('+', ' '));
		}
		args.addAll(List.of(DockerDaemon.IMAGE, "true"));

		Command.Result run = cli(args.toArray(String[]::new));

		assertThat(run.exitCode()).as(run.toString()).isNotZero();
		assertThat(run.stderr()).containsAnyOf("bind mount restriction", "container policy");
		assertThat(containerNamed("refused")).isBlank();
	}

	@Test
	void hostSettingsHiddenFromTheReferenceAreFoundToo() {
		String topLevel = "{\"Image\":\"mini:latest\",\"Privileged\":true}";
		assertThat(postDirect(CREATE + "?name=control", topLevel)).as("the engine honours top-level host settings")
			.startsWith("201");
		assertThat(this.docker.docker("inspect", "--format", "{{.HostConfig.Privileged}}", "control").stdout().trim())
			.isEqualTo("true");

		for (String body : List.of(topLevel, "{\"Image\":\"mini:latest\",\"hostconfig\":{\"privileged\":true}}",
				"{\"Image\":\"mini:latest\",\"HostConfig\":{\"Bind\\u017f\":[\"/etc:/x\"]}}",
				"{\"Image\":\"mini:latest\",\"HostConfig\":{\"Binds\":[\"" + this.allowed + ":/x\"],\"binds\":[\"/etc:/x\"]}}")) {
			String response = postThroughProxy(CREATE + "?name=hidden", body);
			assertThat(response).as(body)
				.matches("403 Forbidden: container policy: Privileged\n|403 Forbidden: bind mount restriction: .*\n|400 Bad Request: ambiguous JSON: .*\n");
		}
		assertThat(containerNamed("hidden")).isBlank();
	}

	@Test
	void pythonSdkIsRefusedAndAllowedAlike() {
		String script = """
				import docker, sys
				client = docker.DockerClient(base_url=sys.argv[1])
				try:
				    client.containers.create("mini:latest", "true", name="sdk-refused", privileged=True)
				    print("created")
				except docker.errors.APIError as e:
				    explanation = e.explanation.decode() if isinstance(e.explanation, bytes) else e.explanation
				    print(e.status_code, explanation.strip())
				client.containers.create("mini:latest", "true", name="sdk-allowed", volumes={sys.argv[2]: {"bind": "/x", "mode": "ro"}})
				print("allowed")
				""";
		Command.Result sdk = DockerDaemon.python(script, this.proxy.dockerHost(), this.allowed.toString());

		assertThat(sdk.exitCode()).as(sdk.toString()).isZero();
		assertThat(sdk.stdout()).isEqualTo("403 Forbidden: container policy: Privileged\nallowed\n");
		assertThat(containerNamed("sdk-refused")).isBlank();
		assertThat(containerNamed("sdk-allowed")).isNotBlank();
	}

	@Test
	void privilegedExecIsRefused() {
		assertThat(cli("run", "-d", "--name", "sleeper", DockerDaemon.IMAGE, "sleep", "60").exitCode()).isZero();

		Command.Result privileged = cli("exec", "-d", "--privileged", "sleeper", "echo", "hi");
		Command.Result ordinary = cli("exec", "-d", "sleeper", "echo", "hi");

		assertThat(privileged.exitCode()).as(privileged.toString()).isNotZero();
		assertThat(privileged.stderr()).contains("container policy: Privileged");
		assertThat(ordinary.exitCode()).as(ordinary.toString()).isZero();
	}

	@Test
	void startCarryingAHostConfigIsRefused() {
		assertThat(cli("create", "--name", "plain", DockerDaemon.IMAGE, "true").exitCode()).isZero();

		assertThat(postThroughProxy("/v1.23/containers/plain/start", "{\"Binds\":[\"" + this.allowed + ":/x\"],\"Privileged\":true}"))
			.isEqualTo("403 Forbidden: container policy: start with a HostConfig body\n");
		assertThat(this.docker.docker("inspect", "--format", "{{.State.Status}}", "plain").stdout().trim()).isEqualTo("created");
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

	private String containerNamed(String name) {
		return this.docker.docker("ps", "-a", "--filter", "name=^" + name + "$", "--format", "{{.ID}}").stdout().trim();
	}

	/** {@code STATUS BODY} of a JSON POST through the proxy. */
	private String postThroughProxy(String target, String json) {
		return curl(List.of("http://127.0.0.1:" + this.proxy.port() + target), json);
	}

	/** {@code STATUS BODY} of a JSON POST straight to the engine. */
	private String postDirect(String target, String json) {
		return curl(List.of("--unix-socket", this.docker.socket().toString(), "http://docker" + target), json);
	}

	private static String curl(List<String> where, String json) {
		List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "%{http_code} ", "-o", "/dev/stderr", "-X", "POST",
				"-H", "Content-Type: application/json", "--data-binary", json));
		command.addAll(where);
		Command.Result result = Command.run(Duration.ofSeconds(30), Map.of(), null, command);
		return result.stdout() + result.stderr();
	}

}
