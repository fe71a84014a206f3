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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bind-mount restriction and the container policy, driven by the docker CLI and by raw
 * JSON through the proxy to a real dockerd: a refused create leaves no container or volume
 * behind, an allowed one runs.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyPolicyDockerIT {

	private static final String CREATE = "/v1.41/containers/create";

	private static final String VOLUME_CREATE = "/v1.41/volumes/create";

	private DockerDaemon docker;

	private RunningProxy proxy;

	private Path allowed;

	@BeforeAll
	void start(DockerDaemon docker) throws Exception {
		this.docker = docker;
		this.allowed = Files.createDirectories(docker.workDir().resolve("allowed"));
		Files.writeString(this.allowed.resolve("hello"), "hello from the host\n");
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(), "-allowHEAD=/_ping", "-allowGET=/_ping|/version|/v1\\.41/.*",
				"-allowPOST=/v1\\.\\d+/(containers/(create|[^/]+/(start|exec))|exec/[^/]+/start|volumes/create|services/(create|[^/]+/update))", "-allowbindmountfrom=" + this.allowed,
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
	void removeContainersAndVolumes() {
		this.docker.removeAllContainers();
		this.docker.removeAllVolumes();
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

	/**
	 * Local-driver volumes that mount the host's disk, a pseudo-file system, an overlay of the
	 * host's root, a network export or a host directory: the engine creates each one when asked
	 * directly, and none when asked through the proxy.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			{"DriverOpts":{"type":"ext4","device":"/dev/vda"}}                             | local volume type ext4 is not allowed
			{"DriverOpts":{"type":"proc","device":"proc"}}                                 | local volume type proc is not allowed
			{"DriverOpts":{"type":"overlay","device":"overlay","o":"lowerdir=/,upperdir=ALLOWED/upper,workdir=ALLOWED/work"}} | / is outside the allowed directories
			{"Driver":"local","driveropts":{"type":"nfs","o":"addr=127.0.0.1","device":":/"}} | local volume type nfs is not allowed
			{"DRIVEROPTS":{"type":"ext4","device":"/dev/vda"}}                             | local volume type ext4 is not allowed
			{"DriverOpts":{"type":"none","o":"ro,bind","device":"/etc"}}                   | /etc is outside the allowed directories
			{"DriverOpts":{"type":"none","o":"rbind","device":"ALLOWED/../.."}}            | ALLOWED/../.. is outside the allowed directories
			""")
	void refusedVolumeIsNeverCreated(String options, String violation) {
		String named = options.replace("ALLOWED", this.allowed.toString()).substring(1);

		assertThat(postDirect(VOLUME_CREATE, "{\"Name\":\"control\"," + named)).as("the engine creates it").startsWith("201");
		assertThat(postThroughProxy(VOLUME_CREATE, "{\"Name\":\"refused\"," + named))
			.isEqualTo("403 Forbidden: bind mount restriction: " + violation.replace("ALLOWED", this.allowed.toString()) + "\n");
		assertThat(this.docker.volumeNames()).contains("control").doesNotContain("refused");
	}

	@Test
	void refusedVolumeMountLeavesNoContainerAndNoVolume() {
		String mount = "{\"Type\":\"volume\",\"Source\":\"refused\",\"Target\":\"/x\",\"VolumeOptions\":{\"DriverConfig\":"
				+ "{\"Name\":\"local\",\"Options\":{\"type\":\"ext4\",\"device\":\"/dev/vda\"}}}}";

		assertThat(postThroughProxy(CREATE + "?name=refused", "{\"Image\":\"mini:latest\",\"HostConfig\":{\"Mounts\":[" + mount + "]}}"))
			.isEqualTo("403 Forbidden: bind mount restriction: local volume type ext4 is not allowed\n");
		Command.Result run = cli("run", "-d", "--name", "refused", "--mount",
				"type=volume,source=refused,target=/x,volume-opt=type=proc,volume-opt=device=proc", DockerDaemon.IMAGE, "true");
		Command.Result create = cli("volume", "create", "--opt", "type=ext4", "--opt", "device=/dev/vda", "refused");

		assertThat(run.exitCode()).as(run.toString()).isNotZero();
		assertThat(run.stderr()).contains("bind mount restriction: local volume type proc is not allowed");
		assertThat(create.exitCode()).as(create.toString()).isNotZero();
		assertThat(create.stderr()).contains("bind mount restriction: local volume type ext4 is not allowed");
		assertThat(containerNamed("refused")).isBlank();
		assertThat(this.docker.volumeNames()).doesNotContain("refused");
	}

	@Test
	void refusedServiceVolumeNeverReachesTheEngine() {
		String service = "{\"Name\":\"refused\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"mini:latest\",\"Mounts\":[{\"Type\":\"volume\","
				+ "\"Target\":\"/x\",\"VolumeOptions\":{\"DriverConfig\":{\"Options\":{\"type\":\"OPTIONS}}}}]}}}";
		String ext4 = service.replace("OPTIONS", "ext4\",\"device\":\"/dev/vda\"");
		String overlay = service.replace("OPTIONS", "overlay\",\"o\":\"lowerdir=/etc\"");

		assertThat(postDirect("/v1.41/services/create", ext4)).as("the engine's own answer: no swarm here").startsWith("503");
		assertThat(postThroughProxy("/v1.41/services/create", ext4))
			.isEqualTo("403 Forbidden: bind mount restriction: local volume type ext4 is not allowed\n");
		assertThat(postThroughProxy("/v1.41/services/refused/update?version=1", overlay))
			.isEqualTo("403 Forbidden: bind mount restriction: /etc is outside the allowed directories\n");
	}

	/** A named volume, a tmpfs, a bind and an overlay of allowed directories are created and used. */
	@Test
	void volumesOfAllowedDirectoriesAreCreatedAndMounted() throws Exception {
		Path lower = Files.createDirectories(this.allowed.resolve("lower"));
		Files.writeString(lower.resolve("layer"), "hello from the lower layer\n");
		Files.createDirectories(this.allowed.resolve("upper"));
		Files.createDirectories(this.allowed.resolve("work"));
		Map<String, String> volumes = Map.of("plain", "{}", "scratch", "{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=1m\"}",
				"bound", "{\"type\":\"none\",\"o\":\"bind\",\"device\":\"ALLOWED\"}",
				"layered", "{\"type\":\"overlay\",\"device\":\"overlay\",\"o\":\"lowerdir=ALLOWED/lower,upperdir=ALLOWED/upper,workdir=ALLOWED/work\"}");

		volumes.forEach((name, options) -> assertThat(postThroughProxy(VOLUME_CREATE,
				"{\"Name\":\"" + name + "\",\"DriverOpts\":" + options.replace("ALLOWED", this.allowed.toString()) + "}"))
			.as(name)
			.startsWith("201"));
		// create and start rather than run -d, whose wait for the exit the rules refuse
		for (Command.Result result : List.of(
				cli("create", "--name", "bound", "-v", "bound:/x", DockerDaemon.IMAGE, "cat", "/x/hello"),
				cli("create", "--name", "layered", "-v", "layered:/x", "--mount",
						"type=volume,source=inline,target=/t,volume-opt=type=tmpfs,volume-opt=device=tmpfs", DockerDaemon.IMAGE,
						"cat", "/x/layer"),
				cli("start", "bound"), cli("start", "layered"))) {
			assertThat(result.exitCode()).as(result.toString()).isZero();
		}

		assertThat(this.docker.volumeNames()).contains("plain", "scratch", "bound", "layered", "inline");
		assertThat(this.docker.docker("wait", "bound").stdout().trim()).isEqualTo("0");
		assertThat(this.docker.docker("logs", "bound").stdout()).isEqualTo("hello from the host\n");
		assertThat(this.docker.docker("wait", "layered").stdout().trim()).isEqualTo("0");
		assertThat(this.docker.docker("logs", "layered").stdout()).isEqualTo("hello from the lower layer\n");
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
