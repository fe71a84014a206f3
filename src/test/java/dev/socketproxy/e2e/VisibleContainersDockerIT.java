package dev.socketproxy.e2e;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code visible-containers} and the owner's per-id check with the docker CLI and the
 * Python SDK through the proxy to a real dockerd. A Traefik-like reader profile scoped by
 * label (and a proxy scoped by name) lists only its containers and gets dockerd's own "No such
 * container" for every per-id call on another, by name and by ID, while the visible one
 * works as without the proxy; an owner-scoped client gets 403 on another owner's container.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VisibleContainersDockerIT {

	private static final String[] READER_RULES = { "-allowHEAD=/_ping", "-allowGET=/_ping|/version|/v1\\.\\d+/.*",
			"-allowPOST=/v1\\.\\d+/(containers/[^/]+/(exec|stop)|exec/[^/]+/(start|resize))" };

	private DockerDaemon docker;

	private RunningProxy byLabel;

	private RunningProxy byName;

	private RunningProxy owner;

	private String dbId;

	private long started;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.started = Instant.now().getEpochSecond();
		Command.succeeded(docker.docker("run", "-d", "--name", "web", "--label", "traefik.enable=true", DockerDaemon.IMAGE,
				"sleep", "300"));
		Command.succeeded(docker.docker("run", "-d", "--name", "db", "--label", "traefik.enable=false", DockerDaemon.IMAGE,
				"sleep", "300"));
		Command.succeeded(docker.docker("run", "-d", "--name", "mine", "--label", "socket-proxy.owner=ci-1",
				DockerDaemon.IMAGE, "sleep", "300"));
		Command.succeeded(docker.docker("run", "-d", "--name", "theirs", "--label", "socket-proxy.owner=ci-2",
				DockerDaemon.IMAGE, "sleep", "300"));
		this.dbId = docker.docker("inspect", "--format", "{{.Id}}", "db").stdout().strip();
		// a reader profile, as in a rules file; the other two scopes are the proxy's own
		this.byLabel = RunningProxy.start("-socketpath=" + this.docker.socket(), "--socketproxy.profiles[0].name=traefik",
				"--socketproxy.profiles[0].clients[0]=127.0.0.1", "--socketproxy.profiles[0].allow[HEAD][0]=/_ping",
				"--socketproxy.profiles[0].allow[GET][0]=/_ping|/version|/v1\\.\\d+/.*",
				"--socketproxy.profiles[0].allow[POST][0]=/v1\\.\\d+/(containers/[^/]+/(exec|stop)|exec/[^/]+/(start|resize))",
				"--socketproxy.profiles[0].visible-containers.labels[0]=traefik.enable=true");
		this.byName = RunningProxy.start(args("--socketproxy.visible-containers.names[0]=we.*"));
		this.owner = RunningProxy.start(args("--socketproxy.owner=ci-1"));
	}

	private String[] args(String scope) {
		List<String> args = new java.util.ArrayList<>(List.of("-socketpath=" + this.docker.socket(), scope));
		args.addAll(List.of(READER_RULES));
		return args.toArray(String[]::new);
	}

	@AfterAll
	void stop() {
		this.byLabel.close();
		this.byName.close();
		this.owner.close();
		this.docker.removeAllContainers();
	}

	@Test
	void psListsOnlyTheVisibleContainers() {
		assertThat(Command.succeeded(cli(this.byLabel, "ps", "-a", "--format", "{{.Names}}"))).isEqualTo("web\n");
		assertThat(Command.succeeded(cli(this.byName, "ps", "-a", "--format", "{{.Names}}"))).isEqualTo("web\n");
		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout().lines()).hasSize(4);
	}

	@Test
	void everyPerIdCallOnAHiddenContainerIsNoSuchContainerByNameAndById() {
		for (RunningProxy proxy : List.of(this.byLabel, this.byName)) {
			for (String ref : List.of("db", this.dbId, this.dbId.substring(0, 12))) {
				assertNoSuchContainer(cli(proxy, "container", "inspect", ref), ref);
				assertNoSuchContainer(cli(proxy, "logs", ref), ref);
				assertNoSuchContainer(cli(proxy, "stats", "--no-stream", ref), ref);
				assertNoSuchContainer(cli(proxy, "exec", ref, "true"), ref);
				assertNoSuchContainer(cli(proxy, "stop", ref), ref);
			}
			Command.Result inspect = cli(proxy, "inspect", "db");
			assertThat(inspect.exitCode()).isNotZero();
			assertThat(inspect.stderr()).contains("No such object: db");
		}
		assertThat(this.docker.docker("ps", "--format", "{{.Names}}").stdout()).contains("db");
	}

	@Test
	void theVisibleContainerWorksAsWithoutTheProxy() {
		assertThat(Command.succeeded(cli(this.byLabel, "container", "inspect", "--format", "{{.Name}}", "web")))
			.isEqualTo("/web\n");
		assertThat(cli(this.byLabel, "logs", "web").exitCode()).isZero();
		assertThat(Command.succeeded(cli(this.byLabel, "stats", "--no-stream", "--format", "{{.Name}}", "web")))
			.isEqualTo("web\n");
		assertThat(Command.succeeded(cli(this.byLabel, "exec", "web", "echo", "hi"))).isEqualTo("hi\n");
		assertThat(Command.succeeded(cli(this.byName, "exec", "web", "echo", "by name"))).isEqualTo("by name\n");
	}

	@Test
	void theEventsOfHiddenContainersAreDropped() {
		String until = Long.toString(Instant.now().getEpochSecond() + 1);
		String events = Command.succeeded(cli(this.byLabel, "events", "--since", Long.toString(this.started), "--until", until,
				"--filter", "type=container", "--format", "{{.Actor.Attributes.name}}"));

		assertThat(events.lines().distinct()).containsExactly("web");
	}

	@Test
	void thePythonSdkSeesOnlyTheVisibleContainer() {
		String script = """
				import docker, sys
				client = docker.DockerClient(base_url=sys.argv[1])
				print([c.name for c in client.containers.list(all=True)])
				print(client.containers.get("web").exec_run("echo hi").output.decode().strip())
				for ref in ("db", sys.argv[2]):
				    try:
				        client.containers.get(ref)
				        print("found", ref)
				    except docker.errors.NotFound as e:
				        print("not found")
				""";
		Command.Result sdk = DockerDaemon.python(script, this.byLabel.dockerHost(), this.dbId);

		assertThat(sdk.exitCode()).as(sdk.toString()).isZero();
		assertThat(sdk.stdout()).isEqualTo("['web']\nhi\nnot found\nnot found\n");
	}

	@Test
	void anOwnerScopedClientGets403OnAnotherOwnersContainer() {
		for (String ref : List.of("theirs", this.docker.docker("inspect", "--format", "{{.Id}}", "theirs").stdout().strip())) {
			for (Command.Result result : List.of(cli(this.owner, "logs", ref), cli(this.owner, "exec", ref, "true"),
					cli(this.owner, "stop", ref))) {
				assertThat(result.exitCode()).as(result.toString()).isNotZero();
				assertThat(result.stderr()).contains("not owned: container " + ref);
			}
		}
		assertThat(Command.succeeded(cli(this.owner, "exec", "mine", "echo", "mine"))).isEqualTo("mine\n");
		assertThat(this.docker.docker("ps", "--format", "{{.Names}}").stdout()).contains("theirs");
	}

	private static void assertNoSuchContainer(Command.Result result, String ref) {
		assertThat(result.exitCode()).as(result.toString()).isNotZero();
		assertThat(result.stderr()).as(result.toString()).contains("No such container: " + ref);
	}

	private static Command.Result cli(RunningProxy proxy, String... args) {
		return DockerDaemon.dockerAt(proxy.dockerHost(), null, args);
	}

}
