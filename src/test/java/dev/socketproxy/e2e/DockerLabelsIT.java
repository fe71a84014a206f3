package dev.socketproxy.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.DynamicClientRules;
import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-container rules from Docker labels against a real dockerd: containers on a
 * user-defined bridge network call the proxy, which listens on the host, through the
 * network's gateway address. A placeholder container named {@code socket-proxy-it} plays
 * the proxy's own container; a decoy {@code socket-proxy-it-old} on another network
 * shows that only the exact name counts.
 */
@ExtendWith({ DockerDaemon.Extension.class, OutputCaptureExtension.class })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerLabelsIT {

	private static final String CLIENT_IMAGE = "labels-client:latest";

	private static final String PROXY_CONTAINER = "socket-proxy-it";

	/** The libraries the host's JVM links, with a shell: the image the proxy's own container runs. */
	private static final String PROXY_RUNTIME_IMAGE = "proxy-runtime:latest";

	private static final String VERSION_ONLY = "socket-proxy.allow.get=/v1\\.[0-9]+/version|/version";

	private DockerDaemon docker;

	private Network network;

	private Network decoyNetwork;

	private RunningProxy proxy;

	private RunningProxy relayed;

	private RunningProxy dualStack;

	private RunningProxy waiting;

	@BeforeAll
	void start(DockerDaemon docker) throws IOException {
		this.docker = docker;
		docker.importImage(CLIENT_IMAGE, List.of("/bin/sh", "/bin/sleep", "/usr/bin/curl"));
		this.network = Network.create(docker, "labels-it");
		this.decoyNetwork = Network.create(docker, "labels-decoy");
		run(PROXY_CONTAINER, this.network.name());
		run("client-a", this.network.name(), "--label", VERSION_ONLY);
		run("client-b", this.network.name());
		run("client-c", this.network.name(), "--label", "socket-proxy.allow.get=/version(");
		// Listed before the real one (newest first) and named with it as a prefix.
		run(PROXY_CONTAINER + "-old", this.decoyNetwork.name());
		run("decoy-client", this.decoyNetwork.name(), "--label", VERSION_ONLY);
		this.proxy = startProxy(docker.socket().toString(), "2s");
		InetAddress a = ip("client-a", this.network);
		await().atMost(Duration.ofSeconds(15)).until(() -> find(this.proxy, a).isPresent());
	}

	@AfterAll
	void stop() {
		for (RunningProxy running : new RunningProxy[] { this.dualStack, this.waiting, this.relayed, this.proxy }) {
			if (running != null) {
				running.close();
			}
		}
		this.docker.removeAllContainers();
		this.network.remove();
		this.decoyNetwork.remove();
	}

	@Test
	void labelledContainerGetsExactlyItsLabelRules() {
		assertThat(curl("client-a", "GET", "/v1.41/version")).isEqualTo("200");
		assertThat(body("client-a", "/version")).contains("\"ApiVersion\"");
		assertThat(curl("client-a", "GET", "/v1.41/containers/json")).isEqualTo("403");
		assertThat(curl("client-a", "POST", "/v1.41/version")).isEqualTo("405");
	}

	@Test
	void unlabelledContainerIsRefusedAsAForbiddenIp(CapturedOutput output) {
		assertThat(curl("client-b", "GET", "/version")).isEqualTo("403");
		assertThat(body("client-b", "/version")).isEqualTo("Forbidden\n");
		assertThat(output).contains("forbidden IP");
	}

	@Test
	void badRegexDisablesOnlyThatContainer(CapturedOutput output) {
		run("bad", this.network.name(), "--label", "socket-proxy.allow.get=/version", "--label",
				"socket-proxy.allow.get.2=/containers(");
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll().lines()
			.filter((line) -> line.contains("invalid allow label") && line.contains("container=\"bad\"")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("label=\"socket-proxy.allow.get.2\"")
				.contains("value=\"/containers(\"")));

		assertThat(curl("bad", "GET", "/version")).isEqualTo("403");
		assertThat(curl("client-c", "GET", "/version")).isEqualTo("403");
		assertThat(curl("client-a", "GET", "/version")).isEqualTo("200");
	}

	@Test
	void onlyTheExactlyNamedContainersNetworksCount() {
		assertThat(curl("decoy-client", "GET", "/version")).isEqualTo("403");
		assertThat(find(this.proxy, ip("decoy-client", this.decoyNetwork))).isEmpty();
	}

	@Test
	void bindMountFromLabelRestrictsOnlyThatContainersBindMounts() {
		String createRule = "socket-proxy.allow.post=/v1\\.[0-9]+/containers/create";
		run("mounter", this.network.name(), "--label", createRule, "--label",
				"socket-proxy.allow.bindmountfrom=/srv/allowed");
		run("mounter-free", this.network.name(), "--label", createRule);

		assertThat(create("mounter", "lbl-outside", "/etc")).startsWith("403 ")
			.contains("bind mount restriction: /etc");
		assertThat(create("mounter", "lbl-escape", "/srv/allowed/../../etc")).startsWith("403 ");
		assertThat(create("mounter", "lbl-inside", "/srv/allowed/data")).startsWith("201 ");
		// The proxy was started without -allowbindmountfrom: the label is what restricts.
		assertThat(create("mounter-free", "lbl-default", "/etc")).startsWith("201 ");
		assertThat(this.docker.docker("inspect", "lbl-outside").exitCode()).as("refused, never created").isNotZero();
		assertThat(this.docker.docker("inspect", "lbl-escape").exitCode()).as("refused, never created").isNotZero();
	}

	@Test
	void containersOnAnIpv6NetworkAreKnownByTheirIpv6Address() {
		Network v6 = Network.createDualStack(this.docker, "labels-v6");
		try {
			Command.succeeded(this.docker.docker("network", "connect", v6.name(), PROXY_CONTAINER));
			// Its own label prefix, so that this proxy, which runs until the end, logs nothing about the other tests' containers.
			run("v6-client", v6.name(), "--label", VERSION_ONLY.replace("socket-proxy.", "v6proxy."));
			run("v6-unlabelled", v6.name());
			InetAddress address = address("v6-client", v6, "GlobalIPv6Address");
			this.dualStack = RunningProxy.start("-socketpath=" + this.docker.socket(), "-listenip=::",
					"-proxycontainername=" + PROXY_CONTAINER, "-dockerlabelprefix=v6proxy",
					"--socketproxy.labels.rescan-interval=2s");
			await().atMost(Duration.ofSeconds(15)).until(() -> find(this.dualStack, address).isPresent());
			String url = "http://[" + v6.gateway6() + "]:" + this.dualStack.port();

			assertThat(status("v6-client", url + "/v1.41/version", "-6", "-g")).isEqualTo("200");
			assertThat(status("v6-client", url + "/v1.41/containers/json", "-6", "-g")).isEqualTo("403");
			assertThat(status("v6-unlabelled", url + "/v1.41/version", "-6", "-g")).isEqualTo("403");
		}
		finally {
			this.docker.docker("rm", "-f", "v6-client", "v6-unlabelled");
			this.docker.docker("network", "disconnect", "-f", v6.name(), PROXY_CONTAINER);
			v6.remove();
		}
	}

	/**
	 * The proxy as it is deployed: in its own container on the clients' network, the engine's
	 * socket mounted, finding itself by its container name; {@code docker stop} ends it with
	 * exit code 0, the engine's event stream closed without a complaint. The JVM and the
	 * jar come from the host, mounted read-only into an image of the libraries they link;
	 * that image has no {@code libdl}, so Netty's epoll library does not load and the proxy
	 * runs on NIO.
	 */
	@Test
	void aProxyRunningInItsOwnContainerGivesLabelledNeighboursTheirRulesAndStopsCleanly() throws IOException {
		Path javaHome = Path.of(System.getProperty("java.home"));
		Path jar = ProxyProcess.jar();
		this.docker.importImage(PROXY_RUNTIME_IMAGE,
				List.of("/bin/sh", javaHome.resolve("bin/java").toString(), javaHome.resolve("lib/server/libjvm.so").toString()));
		List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", "socket-proxy-box", "--network",
				this.network.name(), "-v", javaHome + ":" + javaHome + ":ro", "-v", jar + ":/app/socket-proxy.jar:ro", "-v",
				this.docker.socket() + ":/var/run/docker.sock"));
		// Debian's JDK keeps its configuration under /etc.
		Path javaConf = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
		if (Files.isDirectory(javaConf)) {
			args.addAll(List.of("-v", javaConf + ":" + javaConf + ":ro"));
		}
		args.addAll(List.of(PROXY_RUNTIME_IMAGE, javaHome.resolve("bin/java").toString(), "-jar", "/app/socket-proxy.jar",
				"-listenip=0.0.0.0", "-proxycontainername=socket-proxy-box"));
		Command.succeeded(this.docker.docker(args.toArray(String[]::new)));
		try {
			String proxyIp = ip("socket-proxy-box", this.network).getHostAddress();
			await().atMost(Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(this.docker.docker("logs", "socket-proxy-box").stdout())
					.containsPattern("labelled container added.*container=\"client-a\"")
					.contains("socket-proxy configuration"));
			String url = "http://" + proxyIp + ":2375";

			assertThat(status("client-a", url + "/v1.41/version")).isEqualTo("200");
			assertThat(status("client-a", url + "/v1.41/containers/json")).isEqualTo("403");
			assertThat(status("client-b", url + "/v1.41/version")).isEqualTo("403");
			assertThat(this.docker.docker("logs", "socket-proxy-box").stdout())
				.containsPattern("blocked request method=\"GET\" path=\"/v1.41/version\" client=\""
						+ ip("client-b", this.network).getHostAddress().replace(".", "\\.") + ":\\d+\".*reason=\"forbidden IP\"");

			Command.succeeded(this.docker.docker("stop", "-t", "30", "socket-proxy-box"));
			assertThat(Command.succeeded(this.docker.docker("inspect", "-f", "{{.State.ExitCode}}", "socket-proxy-box")).trim())
				.isEqualTo("0");
			assertThat(this.docker.docker("logs", "socket-proxy-box").stdout()).contains("Commencing graceful shutdown")
				.doesNotContain("engine event stream failed", "engine event stream ended");
		}
		finally {
			this.docker.docker("rm", "-f", "socket-proxy-box");
		}
	}

	@Test
	void containerStartedLaterGetsItsRulesFromEventsAndLosesThemWhenStopped(CapturedOutput output) {
		run("late", this.network.name(), "--label", VERSION_ONLY);
		// No request from "late" before this: only the start event can have told the proxy.
		awaitLogged(output, "labelled container added.*container=\"late\"");
		assertThat(curl("late", "GET", "/version")).isEqualTo("200");
		InetAddress address = ip("late", this.network);

		this.docker.docker("stop", "-t", "0", "late");

		awaitLogged(output, "labelled container removed.*container=\"late\"");
		assertThat(find(this.proxy, address)).isEmpty();
	}

	@Test
	void containerConnectedLaterGetsRulesAndLosesThemOnDisconnect(CapturedOutput output) {
		run("joiner", this.decoyNetwork.name(), "--label", VERSION_ONLY);
		assertThat(curl("joiner", "GET", "/version")).isEqualTo("403");

		Command.succeeded(this.docker.docker("network", "connect", this.network.name(), "joiner"));
		awaitLogged(output, "labelled container (added|changed).*container=\"joiner\"");
		// Every proxy of this JVM logs such a line: wait for this one's own answer.
		await().atMost(Duration.ofSeconds(10)).until(() -> curl("joiner", "GET", "/version").equals("200"));
		InetAddress address = ip("joiner", this.network);

		Command.succeeded(this.docker.docker("network", "disconnect", this.network.name(), "joiner"));
		awaitLogged(output, "labelled container removed.*container=\"joiner\"");
		await().atMost(Duration.ofSeconds(10)).until(() -> find(this.proxy, address).isEmpty());
	}

	@Test
	void unknownCallersCauseAtMostOneRescanPerInterval() {
		double before = rescans(this.proxy, "unknown_client");
		long started = System.nanoTime();
		String statuses = Command.succeeded(this.docker.docker("exec", "client-b", "sh", "-c",
				"i=0; while [ $i -lt 150 ]; do curl -s -o /dev/null -w '%{http_code} ' " + url("/version")
						+ "; sleep 0.03; i=$((i+1)); done"));
		double elapsedIntervals = (System.nanoTime() - started) / 2e9;

		assertThat(elapsedIntervals).isGreaterThan(2);
		assertThat(statuses.trim().split(" ")).hasSize(150).containsOnly("403");
		assertThat(rescans(this.proxy, "unknown_client") - before).isBetween(1.0, Math.ceil(elapsedIntervals) + 1);
	}

	@Test
	void callersOutsideTheProxyNetworksNeverCauseARescan() {
		double before = rescans(this.proxy, "unknown_client");
		for (int i = 0; i < 20; i++) {
			Command.run(Duration.ofSeconds(10), Map.of(), null,
					List.of("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:" + this.proxy.port() + "/version"));
		}
		assertThat(rescans(this.proxy, "unknown_client")).isEqualTo(before);
	}

	@Test
	void proxyContainerStartedLaterIsFoundThroughEvents(CapturedOutput output) {
		this.waiting = startProxy(this.docker.socket().toString(), "2s", "proxy-started-later");
		awaitLogged(output, "proxy container not running.*proxyContainer=\"proxy-started-later\"");

		run("proxy-started-later", this.network.name());

		awaitLogged(output, "proxy container found.*proxyContainer=\"proxy-started-later\"");
		await().atMost(Duration.ofSeconds(10)).until(() -> find(this.waiting, ip("client-a", this.network)).isPresent());
	}

	@Test
	void eventStreamDropIsFollowedByResubscriptionAndRescan() throws Exception {
		String relay = this.docker.workDir().resolve("relay.sock").toString();
		Relay first = Relay.start(relay, this.docker.socket().toString());
		// Closed with the others at the end: closing one in-process proxy disposes the
		// Reactor Netty resources the others still use.
		this.relayed = startProxy(relay, "1h");
		RunningProxy relayed = this.relayed;
		await().atMost(Duration.ofSeconds(10)).until(() -> rescans(relayed, "subscribed") == 1);
		// Spends the one rescan an unknown caller may cause per hour, so that only re-subscribing can rescan.
		assertThat(find(relayed, InetAddress.getByName(this.network.gateway().replaceFirst("1$", "254")))).isEmpty();
		assertThat(rescans(relayed, "unknown_client")).isEqualTo(1);
		first.kill();
		// While the engine is out of reach for the proxy, a labelled container starts.
		run("during-outage", this.network.name(), "--label", VERSION_ONLY);
		// the outage lasts on purpose, so that resubscribing fails meanwhile: not a wait for a condition
		Thread.sleep(1500);
		Relay second = Relay.start(relay, this.docker.socket().toString());
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> rescans(relayed, "subscribed") == 2);
			await().atMost(Duration.ofSeconds(5)).until(() -> find(relayed, ip("during-outage", this.network)).isPresent());
			assertThat(rescans(relayed, "unknown_client")).isEqualTo(1);
		}
		finally {
			second.kill();
		}
	}

	private RunningProxy startProxy(String socket, String rescanInterval) {
		return startProxy(socket, rescanInterval, PROXY_CONTAINER);
	}

	private RunningProxy startProxy(String socket, String rescanInterval, String proxyContainer) {
		return RunningProxy.start("-socketpath=" + socket, "-listenip=0.0.0.0", "-proxycontainername=" + proxyContainer,
				"--socketproxy.labels.rescan-interval=" + rescanInterval);
	}

	private void run(String name, String network, String... options) {
		List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--network", network));
		args.addAll(List.of(options));
		args.addAll(List.of(CLIENT_IMAGE, "sleep", "600"));
		Command.succeeded(this.docker.docker(args.toArray(String[]::new)));
	}

	private String url(String path) {
		return "http://" + this.network.gateway() + ":" + this.proxy.port() + path;
	}

	/** The status code the proxy gives a request from inside {@code container}; {@code 000} if it cannot connect. */
	private String curl(String container, String method, String path) {
		return status(container, url(path), "-X", method);
	}

	/** The status code curl inside {@code container} gets for {@code url}; {@code 000} if it cannot connect. */
	private String status(String container, String url, String... curlOptions) {
		List<String> args = new java.util.ArrayList<>(
				List.of("exec", container, "curl", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}"));
		args.addAll(List.of(curlOptions));
		args.add(url);
		return this.docker.docker(args.toArray(String[]::new)).stdout();
	}

	/** {@code containers/create} from inside {@code container} with one bind mount: the status code, a space, the body. */
	private String create(String container, String name, String hostPath) {
		String json = "{\"Image\":\"" + CLIENT_IMAGE + "\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Binds\":[\"" + hostPath
				+ ":/x\"]}}";
		Command.Result result = this.docker.docker("exec", container, "curl", "-s", "-m", "10", "-w", "%{http_code} ",
				"-o", "/dev/stderr", "-H", "Content-Type: application/json", "-d", json,
				url("/v1.41/containers/create?name=" + name));
		assertThat(result.exitCode()).as(result.toString()).isZero();
		return result.stdout() + result.stderr();
	}

	private String body(String container, String path) {
		return Command.succeeded(this.docker.docker("exec", container, "curl", "-s", "-m", "10", url(path)));
	}

	private InetAddress ip(String container, Network on) {
		return address(container, on, "IPAddress");
	}

	/** The container's address on that network, as the engine lists it under {@code field}. */
	private InetAddress address(String container, Network on, String field) {
		String ip = Command.succeeded(this.docker.docker("inspect", "-f",
				"{{(index .NetworkSettings.Networks \"" + on.name() + "\")." + field + "}}", container)).trim();
		try {
			return InetAddress.getByName(ip);
		}
		catch (IOException ex) {
			throw new AssertionError("no address of " + container + " on " + on.name() + ": " + ip, ex);
		}
	}

	private static Optional<ClientRules> find(RunningProxy proxy, InetAddress address) {
		return proxy.context().getBean(DynamicClientRules.class).find(address).block(Duration.ofSeconds(15));
	}

	private static void awaitLogged(CapturedOutput output, String pattern) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll()).containsPattern(pattern));
	}

	private static double rescans(RunningProxy proxy, String trigger) {
		Counter counter = proxy.context()
			.getBean(MeterRegistry.class)
			.find("socketproxy.label.rescans")
			.tag("trigger", trigger)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** A user-defined bridge network on a random subnet, so that dockerds of parallel runs on this host do not collide. */
	private record Network(DockerDaemon docker, String name, String gateway, String gateway6) {

		static Network create(DockerDaemon docker, String prefix) {
			return create(docker, prefix, false);
		}

		/** Also with an IPv6 subnet, {@code fd5c:<second>:<third>::/64}. */
		static Network createDualStack(DockerDaemon docker, String prefix) {
			return create(docker, prefix, true);
		}

		private static Network create(DockerDaemon docker, String prefix, boolean ipv6) {
			String routes = Command.run(Duration.ofSeconds(10), Map.of(), null, List.of("ip", "route")).stdout();
			for (int attempt = 0; attempt < 20; attempt++) {
				int second = ThreadLocalRandom.current().nextInt(200, 250);
				int third = ThreadLocalRandom.current().nextInt(0, 256);
				String net = "10." + second + "." + third + ".";
				if (routes.contains(net)) {
					continue;
				}
				String name = prefix + "-" + second + "-" + third;
				List<String> args = new java.util.ArrayList<>(
						List.of("network", "create", "-d", "bridge", "--subnet", net + "0/24"));
				String net6 = "fd5c:" + second + ":" + third + "::";
				if (ipv6) {
					args.addAll(List.of("--ipv6", "--subnet", net6 + "/64"));
				}
				args.add(name);
				Command.succeeded(docker.docker(args.toArray(String[]::new)));
				return new Network(docker, name, net + "1", ipv6 ? net6 + "1" : null);
			}
			throw new IllegalStateException("no free 10.x.y.0/24 subnet found");
		}

		void remove() {
			this.docker.docker("network", "rm", this.name);
		}

	}

	/** socat between a Unix socket and dockerd's, which a test can cut, event stream included. */
	private record Relay(Command.Running process, String pid) {

		static Relay start(String listen, String target) {
			Command.Running process = Command.start(Map.of(), List.of("sh", "-c",
					"echo pid=$$; exec socat UNIX-LISTEN:" + listen + ",fork,unlink-early UNIX-CONNECT:" + target));
			process.awaitOutput("pid=", Duration.ofSeconds(5));
			await().atMost(Duration.ofSeconds(5)).until(() -> new java.io.File(listen).exists());
			String pid = process.output().lines().filter((l) -> l.startsWith("pid=")).findFirst().orElseThrow().substring(4).trim();
			return new Relay(process, pid);
		}

		/** Ends the listener and every connection it forked, as an engine restart would. */
		void kill() {
			Command.run(Duration.ofSeconds(10), Map.of(), null, List.of("pkill", "-KILL", "-P", this.pid));
			this.process.close();
		}

	}

}
