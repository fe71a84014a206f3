package dev.socketproxy.e2e;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;
import dev.socketproxy.support.UnixSocketConnections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long-lived and large answers of a real dockerd through the proxy, with the proxy's
 * timeouts set short: an idle event stream outlives them, a stream the client leaves
 * does not leave a connection to the socket behind, stats stream, and images travel
 * through {@code docker save} and {@code docker load} unchanged.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerStreamsIT {

	private static final Duration PROXY_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final int STREAMS_LEFT = 20;

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(),
				"--spring.config.additional-location=file:config/docker-cli-full.yaml",
				"--socketproxy.limits.header-timeout=" + PROXY_TIMEOUT.toSeconds() + "s",
				"--socketproxy.limits.body-read-timeout=" + PROXY_TIMEOUT.toSeconds() + "s");
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
	void anIdleEventStreamOutlivesTheProxysTimeoutsAndDeliversTheNextEvent() throws Exception {
		try (Command.Running events = DockerDaemon.startDockerAt(this.proxy.dockerHost(), "events", "--filter",
				"type=container", "--filter", "event=start", "--format", "{{.Action}} {{.Actor.Attributes.name}}")) {
			long started = System.nanoTime();
			assertThat(anIdleConnectionIsClosedWithin(PROXY_TIMEOUT.multipliedBy(3)))
				.as("the short head timeout is in force").isTrue();
			// the stream stays idle past every timeout of the proxy, on purpose: not a wait for a condition
			Thread.sleep(Math.max(0, PROXY_TIMEOUT.multipliedBy(4).toNanos() - (System.nanoTime() - started)) / 1_000_000);
			assertThat(events.isAlive()).as("events still running; output: " + events.output()).isTrue();
			assertThat(events.output()).isEmpty();

			this.docker.docker("run", "-d", "--name", "late", DockerDaemon.IMAGE, "sleep", "300");

			events.awaitOutput("start late\n", WAIT);
		}
	}

	@Test
	void streamsTheClientLeavesLeaveNoConnectionToTheSocket() throws InterruptedException {
		this.docker.docker("run", "-d", "--name", "chatty", DockerDaemon.IMAGE, "sh", "-c", "echo ready; sleep 300");
		String since = Long.toString(Instant.now().minusSeconds(60).getEpochSecond());
		int before = connectionsToSocket();

		for (int i = 0; i < STREAMS_LEFT; i++) {
			boolean logs = i % 2 == 0;
			try (Command.Running stream = logs
					? DockerDaemon.startDockerAt(this.proxy.dockerHost(), "logs", "-f", "chatty")
					: DockerDaemon.startDockerAt(this.proxy.dockerHost(), "events", "--since", since, "--filter",
							"container=chatty", "--filter", "event=start", "--format", "{{.Action}}")) {
				stream.awaitOutput(logs ? "ready\n" : "start\n", WAIT);
				if (i == 0) {
					assertThat(connectionsToSocket()).as("the open stream's connection is counted").isPositive();
				}
			}
		}

		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(connectionsToSocket())
				.as("connections to the socket after %d streams were left (before: %d)", STREAMS_LEFT, before)
				.isLessThanOrEqualTo(before));
	}

	@Test
	void statsOnceAndStreamedShowTheContainer() {
		this.docker.docker("run", "-d", "--name", "measured", DockerDaemon.IMAGE, "sleep", "300");

		String once = Command.succeeded(cli("stats", "--no-stream", "--format", "{{.Name}}"));
		String script = """
				import sys, docker
				client = docker.DockerClient(base_url=sys.argv[1], version='auto', timeout=30)
				stats = client.containers.get('measured').stats(stream=True, decode=True)
				for _ in range(2):
				    print('stats', next(stats)['name'])
				""";
		String streamed = Command.succeeded(DockerDaemon.python(script, this.proxy.dockerHost()));

		assertThat(once).isEqualTo("measured\n");
		assertThat(streamed).isEqualTo("stats /measured\n".repeat(2));
	}

	@Test
	void saveAndLoadCarryAnImageUnchanged() throws IOException {
		String imageId = this.docker.docker("images", "-q", "--no-trunc", DockerDaemon.IMAGE).stdout().trim();
		this.docker.docker("tag", DockerDaemon.IMAGE, "roundtrip:saved");
		Path viaProxy = this.docker.workDir().resolve("saved-via-proxy.tar");
		Path direct = this.docker.workDir().resolve("saved-direct.tar");
		try {
			Command.succeeded(cli("save", "-o", viaProxy.toString(), "roundtrip:saved"));
			Command.succeeded(this.docker.docker("save", "-o", direct.toString(), "roundtrip:saved"));
			assertThat(Files.size(viaProxy)).isPositive().isEqualTo(Files.size(direct));

			Command.succeeded(this.docker.docker("rmi", "roundtrip:saved"));
			assertThat(this.docker.docker("images", "-q", "roundtrip:saved").stdout()).isBlank();

			assertThat(Command.succeeded(cli("load", "-i", viaProxy.toString()))).contains("Loaded image: roundtrip:saved");
			assertThat(this.docker.docker("images", "-q", "--no-trunc", "roundtrip:saved").stdout().trim())
				.startsWith("sha256:")
				.isEqualTo(imageId);
		}
		finally {
			this.docker.docker("rmi", "roundtrip:saved");
			Files.deleteIfExists(viaProxy);
			Files.deleteIfExists(direct);
		}
	}

	/** Whether the proxy closes a connection on which no request arrives. */
	private boolean anIdleConnectionIsClosedWithin(Duration limit) throws IOException {
		try (Socket idle = new Socket("127.0.0.1", this.proxy.port())) {
			idle.setSoTimeout((int) limit.toMillis());
			return idle.getInputStream().read() == -1;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
	}

	private int connectionsToSocket() {
		return UnixSocketConnections.ofThisProcessTo(this.docker.socket());
	}

	private Command.Result cli(String... args) {
		return DockerDaemon.dockerAt(this.proxy.dockerHost(), null, args);
	}

}
