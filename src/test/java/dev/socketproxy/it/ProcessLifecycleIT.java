package dev.socketproxy.it;

import java.io.InputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar as operators run it: JSON logs, the watchdog, the health check mode
 * and what SIGTERM does to requests and streams that are still open. Two process starts
 * cover it all, to keep the suite short.
 */
class ProcessLifecycleIT {

	private static final Duration START = Duration.ofSeconds(120);

	@TempDir
	Path dir;

	/** HTTP/1.1 as Docker's clients speak it, so allowed GETs take the fast path (an h2c offer would not). */
	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * One process for what an operator sees over a proxy's life: JSON lines with the
	 * decision fields and no secrets, the health check mode, a socket outage found by the
	 * watchdog and the recovery, and finally SIGTERM with a request in flight and a long
	 * stream open.
	 */
	@Test
	void jsonLogsWatchdogRecoveryAndGracefulShutdown() throws Exception {
		Path socket = this.dir.resolve("docker.sock");
		RecordingUnixSocketServer server = startServer(socket);
		int port = RunningProxy.freePort();
		int managementPort = RunningProxy.freePort();
		String healthUrl = "http://127.0.0.1:" + managementPort + "/health";
		long graceSeconds = 3;
		try (ProxyProcess proxy = ProxyProcess.start(Map.of("SP_LOGJSON", "true", "SP_LOGLEVEL", "debug"),
				"-socketpath=" + socket, "-proxyport=" + port, "-allowGET=/v1\\..{1,2}/(version|events|slow)",
				"-allowhealthcheck", "-watchdoginterval=1", "-shutdowngracetime=" + graceSeconds,
				"--socketproxy.management.port=" + managementPort)) {
			proxy.waitForPort(managementPort, START);
			assertThat(healthCheck(healthUrl)).isZero();

			HttpResponse<String> denied = send(HttpRequest.newBuilder(uri(port, "/v1.41/containers/create"))
				.header("Authorization", "Bearer header-secret")
				.header("X-Registry-Auth", "registry-secret")
				.POST(HttpRequest.BodyPublishers.ofString("{\"Image\":\"body-secret\"}")));
			HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri(port, "/v1.41/version?q=1"))
				.header("Authorization", "Bearer header-secret"));
			assertThat(denied.statusCode()).isEqualTo(405);
			assertThat(allowed.statusCode()).isEqualTo(200);
			proxy.waitForOutput("allowed request", START);

			server.close();
			proxy.waitForOutput("watchdog: socket not answering", Duration.ofSeconds(20));
			assertThat(healthCheck(healthUrl)).isEqualTo(1);

			server = startServer(socket);
			proxy.waitForOutput("watchdog: socket answering again", Duration.ofSeconds(20));
			assertThat(healthCheck(healthUrl)).isZero();
			assertThat(send(HttpRequest.newBuilder(uri(port, "/v1.41/version"))).statusCode()).isEqualTo(200);

			assertGracefulShutdown(proxy, server, port, graceSeconds);

			List<JsonNode> lines = proxy.jsonLines();
			assertThat(lines).filteredOn((line) -> line.path("message").asString().equals("blocked request"))
				.singleElement()
				.satisfies((line) -> {
					assertThat(line.path("log").path("level").asString()).isEqualTo("WARN");
					assertThat(line.path("reason").asString()).isEqualTo("method not allowed");
					assertThat(line.path("method").asString()).isEqualTo("POST");
					assertThat(line.path("path").asString()).isEqualTo("/v1.41/containers/create");
					assertThat(line.path("client").asString()).startsWith("127.0.0.1:");
					assertThat(line.path("status").asInt()).isEqualTo(405);
				});
			assertThat(lines).filteredOn((line) -> line.path("message").asString().equals("allowed request"))
				.first()
				.satisfies((line) -> assertThat(line.path("path").asString()).isEqualTo("/v1.41/version?q=1"));
			assertThat(lines).filteredOn((line) -> line.path("message").asString().equals("watchdog: socket not answering"))
				.first()
				.satisfies((line) -> {
					assertThat(line.path("log").path("level").asString()).isEqualTo("ERROR");
					assertThat(line.path("socket").asString()).isEqualTo(socket.toString());
					assertThat(line.path("error").asString()).isEqualTo("no such socket file");
				});
			assertThat(proxy.output()).doesNotContain("header-secret", "registry-secret", "body-secret");
		}
		finally {
			server.close();
		}
	}

	@Test
	void watchdogStopsTheProxyWithExitCode10() {
		Path socket = this.dir.resolve("docker.sock");
		RecordingUnixSocketServer server = RecordingUnixSocketServer.start(socket);
		int port = RunningProxy.freePort();
		try (ProxyProcess proxy = ProxyProcess.start(Map.of(), "-socketpath=" + socket, "-proxyport=" + port,
				"-watchdoginterval=1", "-stoponwatchdog")) {
			proxy.waitForPort(port, START);
			server.close();

			assertThat(proxy.waitForExit(Duration.ofSeconds(30))).isEqualTo(10);
			assertThat(proxy.output()).containsPattern("ERROR .*watchdog: socket not answering.*stopping=\"true\"");
		}
		finally {
			server.close();
		}
	}

	/**
	 * SIGTERM: the listener closes, the request in flight finishes, the open stream is
	 * served until the grace time is over and then cut, and the process exits 0.
	 */
	private void assertGracefulShutdown(ProxyProcess proxy, RecordingUnixSocketServer server, int port,
			long graceSeconds) throws Exception {
		HttpResponse<InputStream> events = this.client.send(HttpRequest.newBuilder(uri(port, "/v1.41/events")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		InputStream stream = events.body();
		assertThat(stream.read()).isEqualTo('0');
		CompletableFuture<HttpResponse<String>> slow = this.client
			.sendAsync(HttpRequest.newBuilder(uri(port, "/v1.41/slow")).build(), HttpResponse.BodyHandlers.ofString());
		awaitRequest(server, "/v1.41/slow");

		long signalled = System.nanoTime();
		proxy.terminate();

		HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
		assertThat(finished.statusCode()).isEqualTo(200);
		assertThat(finished.body()).isEqualTo("finished");
		proxy.waitForOutput("Commencing graceful shutdown", Duration.ofSeconds(10));
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> this.client.send(HttpRequest.newBuilder(uri(port, "/v1.41/version")).build(),
					HttpResponse.BodyHandlers.discarding()));
		assertThat(drain(stream)).as("the stream is still served during the grace time").isGreaterThan(10);

		assertThat(proxy.waitForExit(Duration.ofSeconds(30))).isZero();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - signalled);
		assertThat(shutdown).isGreaterThanOrEqualTo(Duration.ofSeconds(graceSeconds))
			.isLessThan(Duration.ofSeconds(graceSeconds + 10));
	}

	/** A Docker stand-in: an endless event stream, a slow answer, and a quick one for the rest. */
	private static RecordingUnixSocketServer startServer(Path socket) {
		return RecordingUnixSocketServer.start(socket, (request, response) -> {
			if (request.uri().startsWith("/v1.41/events")) {
				return response.sendString(Flux.interval(Duration.ZERO, Duration.ofMillis(100)).map((i) -> i + "\n"));
			}
			if (request.uri().startsWith("/v1.41/slow")) {
				return response.sendString(Mono.delay(Duration.ofMillis(1500)).thenReturn("finished"));
			}
			return response.sendString(Mono.just(request.method().name() + " " + request.uri()));
		});
	}

	private static void awaitRequest(RecordingUnixSocketServer server, String uri) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(server.requests()).as("requests at the socket")
				.anyMatch((request) -> request.uri().equals(uri)));
	}

	/** Reads the stream until the proxy closes it; returns how many lines came. */
	private static int drain(InputStream stream) {
		int lines = 0;
		try (stream) {
			int read;
			while ((read = stream.read()) >= 0) {
				if (read == '\n') {
					lines++;
				}
			}
		}
		catch (IOException ex) {
			// the proxy cut the stream: the end we wait for
		}
		return lines;
	}

	private static int healthCheck(String url) throws Exception {
		Process check = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
				ProxyProcess.jar().toString(), "--healthcheck=" + url)
			.redirectErrorStream(true)
			.start();
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(check.getInputStream().readAllBytes());
		assertThat(output).startsWith("socket-proxy: health check " + url);
		return check.exitValue();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
