package dev.socketproxy.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The docker CLI and the Python Docker SDK against a real dockerd through the proxy,
 * with the ready-made rule file {@code config/docker-cli-full.yaml}: every scenario
 * prints what it would print against the engine directly, hijacked exec/attach/run and
 * streamed logs and events included.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerClientsIT {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private DockerDaemon docker;

	private RunningProxy proxy;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml");
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
	void versionInfoPsAndImagesPrintWhatTheEngineSays() {
		this.docker.docker("create", "--name", "listed", DockerDaemon.IMAGE);

		String version = Command.succeeded(cli("version", "--format", "{{.Server.Version}}"));
		String info = Command.succeeded(cli("info", "--format", "{{.ServerVersion}} {{.Containers}}"));
		String ps = Command.succeeded(cli("ps", "-a", "--format", "{{.Names}} {{.Image}}"));
		String images = Command.succeeded(cli("images", "--format", "{{.Repository}}:{{.Tag}}"));

		String engineVersion = this.docker.docker("version", "--format", "{{.Server.Version}}").stdout().trim();
		assertThat(version.trim()).isEqualTo(engineVersion);
		assertThat(info.trim()).isEqualTo(engineVersion + " 1");
		assertThat(ps.trim()).isEqualTo("listed " + DockerDaemon.IMAGE);
		assertThat(images.lines()).contains(DockerDaemon.IMAGE);
	}

	@Test
	void runPrintsTheContainersOutputThroughTheHijackedAttach() {
		assertThat(Command.succeeded(cli("run", "--rm", DockerDaemon.IMAGE, "echo", "hi"))).isEqualTo("hi\n");
		assertThat(this.docker.docker("ps", "-aq").stdout()).isBlank();
	}

	@Test
	void logsFollowStreamsLinesAsTheyArriveUntilStop() {
		String id = Command.succeeded(cli("run", "-d", "--name", "talker", DockerDaemon.IMAGE, "sh", "-c",
				"echo one; sleep 3; echo two; sleep 300")).trim();
		assertThat(id).matches("[0-9a-f]{64}");

		try (Command.Running logs = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "logs", "-f", "talker")) {
			logs.awaitOutput("one\n", Duration.ofSeconds(3));
			assertThat(logs.output()).doesNotContain("two");
			logs.awaitOutput("two\n", Duration.ofSeconds(10));
			assertThat(Command.succeeded(cli("stop", "-t", "1", "talker"))).isEqualTo("talker\n");
			assertThat(logs.awaitExit(WAIT)).isZero();
			assertThat(logs.output()).isEqualTo("one\ntwo\n");
		}
	}

	@Test
	void execRunsACommandInARunningContainer() {
		this.docker.docker("run", "-d", "--name", "target", DockerDaemon.IMAGE, "sleep", "300");

		assertThat(Command.succeeded(cli("exec", "target", "echo", "hello from exec"))).isEqualTo("hello from exec\n");
	}

	@Test
	void execWithStdinSeesTheClientsEndOfInputAndExits() {
		this.docker.docker("run", "-d", "--name", "target", DockerDaemon.IMAGE, "sleep", "300");

		Command.Result cat = DockerDaemon.dockerAt(this.proxy.dockerHost(), "hi\nthere\n".getBytes(StandardCharsets.UTF_8), "exec", "-i",
				"target", "cat");

		assertThat(cat.exitCode()).as(cat.toString()).isZero();
		assertThat(cat.stdout()).isEqualTo("hi\nthere\n");
	}

	@Test
	void attachCarriesStdinToTheContainerAndItsOutputBack() throws IOException {
		this.docker.docker("run", "-d", "-i", "--name", "echoer", DockerDaemon.IMAGE, "cat");

		try (Command.Running attach = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "attach", "echoer")) {
			attach.stdin().write("through attach\n".getBytes(StandardCharsets.UTF_8));
			attach.stdin().flush();
			attach.awaitOutput("through attach\n", Duration.ofSeconds(10));
			this.docker.docker("kill", "echoer");
			attach.awaitExit(WAIT);
			assertThat(attach.output()).isEqualTo("through attach\n");
		}
	}

	@Test
	void websocketAttachCarriesBytesBothWays() throws Exception {
		this.docker.docker("run", "-d", "-i", "--name", "wsecho", DockerDaemon.IMAGE, "cat");
		StringBuffer received = new StringBuffer();
		WebSocket.Listener listener = new WebSocket.Listener() {

			@Override
			public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
				received.append(data);
				webSocket.request(1);
				return null;
			}

			@Override
			public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
				received.append(StandardCharsets.UTF_8.decode(data));
				webSocket.request(1);
				return null;
			}

		};
		WebSocket socket = this.http.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + this.proxy.port()
					+ "/v1.41/containers/wsecho/attach/ws?stream=1&stdin=1&stdout=1"), listener)
			.get(15, TimeUnit.SECONDS);

		socket.sendText("over websocket\n", true).get(15, TimeUnit.SECONDS);

		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(received.toString()).contains("over websocket\n"));
		assertThat(received.toString()).isEqualTo("over websocket\n");
		socket.abort();
	}

	@Test
	void eventsBetweenSinceAndUntilListTheContainersLifecycle() {
		Instant since = Instant.now().minusSeconds(1);
		this.docker.docker("run", "--name", "eventful", DockerDaemon.IMAGE, "echo");
		Instant until = Instant.now().plusSeconds(1);

		String events = Command.succeeded(cli("events", "--since", Long.toString(since.getEpochSecond()), "--until",
				Long.toString(until.getEpochSecond()), "--filter", "container=eventful", "--format",
				"{{.Action}} {{.Actor.Attributes.name}}"));

		assertThat(events.lines()).contains("create eventful", "start eventful", "die eventful");
	}

	@Test
	void liveEventsStreamSeesAContainerStartWhileTheStreamStaysOpen() {
		// --since: the start is seen even if the stream connects after it happened.
		String since = Long.toString(Instant.now().minusSeconds(1).getEpochSecond());
		try (Command.Running events = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "events", "--since", since, "--filter",
				"type=container", "--filter", "event=start", "--format", "{{.Action}} {{.Actor.Attributes.name}}")) {
			this.docker.docker("run", "-d", "--name", "live", DockerDaemon.IMAGE, "sleep", "300");

			events.awaitOutput("start live\n", Duration.ofSeconds(10));
			assertThat(events.isAlive()).isTrue();
		}
	}

	@Test
	void importAndExportStreamFilesystemsBothWays() throws IOException {
		Path tar = this.docker.workDir().resolve("rootfs.tar");

		String imported = Command.succeeded(DockerDaemon.dockerAt(this.proxy.dockerHost(), Files.readAllBytes(tar), "import", "-", "imported:via-proxy"));
		assertThat(imported.trim()).startsWith("sha256:");
		assertThat(this.docker.docker("images", "-q", "imported:via-proxy").stdout()).isNotBlank();

		this.docker.docker("create", "--name", "exported", "imported:via-proxy", "/bin/sh");
		Path exported = this.docker.workDir().resolve("exported.tar");
		Command.succeeded(cli("export", "-o", exported.toString(), "exported"));
		String listing = Command.run(WAIT, Map.of(), null, List.of("tar", "-tf", exported.toString())).stdout();
		assertThat(listing.lines()).contains("bin/sh", "bin/cat");
		this.docker.docker("rm", "-f", "exported");
		this.docker.docker("rmi", "imported:via-proxy");
	}

	@Test
	void pythonDockerSdkRunsExecsAndStreamsLogs() {
		String script = """
				import sys, docker
				client = docker.DockerClient(base_url=sys.argv[1], version='auto', timeout=30)
				print('version', client.version()['ApiVersion'])
				print('run', client.containers.run('mini:latest', ['echo', 'from sdk run'], remove=True).decode().strip())
				c = client.containers.run('mini:latest', ['sh', '-c', 'echo first; sleep 2; echo second; sleep 300'],
				                          detach=True, name='sdk')
				print('exec', c.exec_run(['echo', 'from sdk exec']).output.decode().strip())
				stream = c.logs(stream=True, follow=True)
				print('log', next(stream).decode().strip())
				print('log', next(stream).decode().strip())
				sys.stdout.flush()
				c.remove(force=True)
				""";

		String output = Command.succeeded(DockerDaemon.python(script, this.proxy.dockerHost()));

		String apiVersion = this.docker.docker("version", "--format", "{{.Server.APIVersion}}").stdout().trim();
		assertThat(output).isEqualTo("version " + apiVersion + "\nrun from sdk run\nexec from sdk exec\nlog first\nlog second\n");
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

}
