package dev.socketproxy.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged proxy on Netty's NIO transport, as it runs where the epoll library cannot
 * be loaded (a {@code /tmp} mounted {@code noexec}, a CPU the shipped native library is
 * not built for), against a real dockerd with the real docker CLI: once with the fast
 * path, once with Docker labels on, where every request and the engine's event stream
 * go through the gateway's client.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NioTransportIT {

	private static final Duration START = Duration.ofSeconds(120);

	/** NIO instead of epoll; JSON logs at debug, whose allowed-request lines name the I/O thread. */
	private static final Map<String, String> NIO = Map.of("JAVA_TOOL_OPTIONS", "-Dreactor.netty.native=false",
			"SP_LOGJSON", "true", "SP_LOGLEVEL", "debug");

	private DockerDaemon docker;

	private int fastPort;

	private ProxyProcess fast;

	private int labelsPort;

	private ProxyProcess labels;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		Command.succeeded(docker.docker("run", "-d", "--name", "nio-proxy-box", DockerDaemon.IMAGE, "sleep", "600"));
		this.fastPort = RunningProxy.freePort();
		this.fast = ProxyProcess.start(NIO, "-socketpath=" + docker.socket(), "-proxyport=" + this.fastPort,
				"--spring.config.additional-location=file:config/docker-cli-full.yaml");
		this.labelsPort = RunningProxy.freePort();
		this.labels = ProxyProcess.start(NIO, "-socketpath=" + docker.socket(), "-proxyport=" + this.labelsPort,
				"-proxycontainername=nio-proxy-box", "--spring.config.additional-location=file:config/docker-cli-full.yaml");
		this.fast.waitForPort(this.fastPort, START);
		this.labels.waitForPort(this.labelsPort, START);
	}

	@AfterAll
	void stop() {
		this.fast.close();
		this.labels.close();
		this.docker.removeAllContainers();
	}

	@Test
	void dockerRunWorksWithTheFastPath() {
		assertDockerRunWorks(this.fastPort, "nio-fast");
		assertThat(threadsOf(this.fast, "allowed request")).isNotEmpty().allMatch((name) -> name.startsWith("reactor-http-nio"));
	}

	@Test
	void dockerRunAndTheEngineEventsWorkWithLabels() {
		assertDockerRunWorks(this.labelsPort, "nio-labels");
		this.labels.waitForOutput("subscribed to engine events", Duration.ofSeconds(30));
		assertThat(this.labels.output()).doesNotContain("engine event stream failed", "HTTP Version Not Supported");
		assertThat(threadsOf(this.labels, "allowed request")).isNotEmpty().allMatch((name) -> name.startsWith("reactor-http-nio"));
	}

	/**
	 * {@code docker run} sends GETs, a POST with a body, bodiless POSTs, an upgraded
	 * attach and a DELETE; {@code curl -X POST} sends a start without any length.
	 */
	private void assertDockerRunWorks(int port, String name) {
		String host = "tcp://127.0.0.1:" + port;
		Command.Result run = DockerDaemon.dockerAt(host, null, "run", "--rm", "--name", name, DockerDaemon.IMAGE, "echo",
				"hello over nio");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.stdout()).isEqualTo("hello over nio\n");

		Command.succeeded(DockerDaemon.dockerAt(host, null, "create", "--name", name + "-started", DockerDaemon.IMAGE, "sleep", "60"));
		Command.Result start = Command.run(Duration.ofSeconds(20), Map.of(), null, List.of("curl", "-s", "-o", "/dev/null",
				"-w", "%{http_code}", "-X", "POST", "http://127.0.0.1:" + port + "/v1.41/containers/" + name + "-started/start"));
		assertThat(start.stdout()).isEqualTo("204");
		assertThat(Command.succeeded(this.docker.docker("inspect", "-f", "{{.State.Running}}", name + "-started")).trim())
			.isEqualTo("true");
	}

	private static List<String> threadsOf(ProxyProcess proxy, String message) {
		return proxy.jsonLines()
			.stream()
			.filter((line) -> line.path("message").asString().equals(message))
			.map((line) -> line.path("process").path("thread").path("name").asString())
			.toList();
	}

}
