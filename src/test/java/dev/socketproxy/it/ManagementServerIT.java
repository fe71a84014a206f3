package dev.socketproxy.it;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The management server of a running proxy: health that follows the socket, Prometheus
 * counters that follow the requests, and none of it reachable through the proxy port.
 * A request is counted when its exchange ends, which may be just after the client has
 * its response: assertions on a scrape poll until they hold.
 */
class ManagementServerIT {

	@TempDir
	static Path dir;

	private static RecordingUnixSocketServer server;

	private static RunningProxy proxy;

	private static int managementPort;

	/** Requests sent to the proxy port so far: each is counted once, when its exchange ends. */
	private static int proxied;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		server = startServer();
		managementPort = RunningProxy.freePort();
		proxy = RunningProxy.start("-socketpath=" + server.socket(), "-allowhealthcheck",
				"--socketproxy.management.port=" + managementPort, "-allowGET=/v1\\..{1,2}/(version|events)",
				"-allowGET=/actuator/health");
	}

	@AfterAll
	static void stop() {
		proxy.close();
		server.close();
	}

	@BeforeEach
	void socketUp() {
		if (!server.socket().toFile().exists()) {
			server = startServer();
		}
		server.clear();
	}

	/**
	 * Every request of this test is counted before the next test takes its {@code before}
	 * scrape, so that a late count never lands in another test's delta.
	 */
	@AfterEach
	void everyRequestCounted() {
		awaitScrape((scrape) -> assertThat(sum(scrape, "socketproxy_requests_total{")).as("requests counted")
			.isEqualTo(proxied));
	}

	private static RecordingUnixSocketServer startServer() {
		return RecordingUnixSocketServer.start(dir.resolve("docker.sock"), ManagementServerIT::answer);
	}

	private static org.reactivestreams.Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response) {
		if (request.uri().equals("/_ping")) {
			return response.header("Api-Version", "1.41").send();
		}
		if (request.uri().startsWith("/v1.41/events")) {
			return response.header("Content-Type", "application/json")
				.sendString(Flux.interval(Duration.ZERO, Duration.ofMillis(100)).map((i) -> "{\"n\":" + i + "}\n"));
		}
		return response.sendString(Mono.just("from socket " + request.uri()));
	}

	@Test
	void healthFollowsTheSocket() throws Exception {
		HttpResponse<String> up = get(management("/actuator/health/readiness"));
		assertThat(up.statusCode()).isEqualTo(200);
		assertThat(up.body()).contains("\"status\":\"UP\"", "\"check\":\"ping\"", "\"httpStatus\":200");
		assertThat(head(management("/health"))).isEqualTo(200);
		assertThat(server.requests()).extracting(RecordingUnixSocketServer.Recorded::method,
				RecordingUnixSocketServer.Recorded::uri)
			.contains(org.assertj.core.groups.Tuple.tuple("HEAD", "/_ping"));
		awaitScrape((scrape) -> assertThat(scrape).contains("socketproxy_socket_up 1.0"));

		server.close();
		HttpResponse<String> down = get(management("/actuator/health/readiness"));
		assertThat(down.statusCode()).isEqualTo(503);
		assertThat(down.body()).contains("\"status\":\"DOWN\"", "no such socket file");
		assertThat(head(management("/health"))).isEqualTo(503);
		assertThat(get(management("/actuator/health/liveness")).statusCode()).isEqualTo(200);
		awaitScrape((scrape) -> assertThat(scrape).contains("socketproxy_socket_up 0.0"));

		server = startServer();
		assertThat(head(management("/health"))).isEqualTo(200);
		awaitScrape((scrape) -> assertThat(scrape).contains("socketproxy_socket_up 1.0"));
	}

	@Test
	void countersFollowTheDecisions() throws Exception {
		String before = scrape();

		assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(200);
		assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(200);
		assertThat(get(proxy.uri("/v1.41/secrets")).statusCode()).isEqualTo(403);
		assertThat(send(HttpRequest.newBuilder(proxy.uri("/v1.41/version")).DELETE()).statusCode()).isEqualTo(405);
		assertThat(send(HttpRequest.newBuilder(proxy.uri("/v1.41/version")).method("BREW", HttpRequest.BodyPublishers.noBody()))
			.statusCode()).isEqualTo(405);

		awaitScrape((after) -> {
			assertThat(delta(before, after,
					"socketproxy_requests_total{decision=\"allowed\",method=\"GET\",reason=\"none\"}"))
				.isEqualTo(2);
			assertThat(delta(before, after,
					"socketproxy_requests_total{decision=\"denied\",method=\"GET\",reason=\"path_not_allowed\"}"))
				.isEqualTo(1);
			assertThat(delta(before, after,
					"socketproxy_requests_total{decision=\"denied\",method=\"DELETE\",reason=\"method_not_allowed\"}"))
				.isEqualTo(1);
			assertThat(delta(before, after,
					"socketproxy_requests_total{decision=\"denied\",method=\"OTHER\",reason=\"method_not_allowed\"}"))
				.isEqualTo(1);
			assertThat(delta(before, after, "socketproxy_upstream_requests_seconds_count{method=\"GET\",status=\"200\"}"))
				.isEqualTo(2);
			assertThat(after).contains("socketproxy_upstream_requests_seconds_bucket{method=\"GET\",status=\"200\",le=\"")
				.doesNotContain("BREW");
		});
		assertThat(server.requests()).extracting(RecordingUnixSocketServer.Recorded::uri)
			.containsExactly("/v1.41/version", "/v1.41/version");
	}

	@Test
	void socketFailuresAreCountedAsUpstreamErrors() throws Exception {
		String before = scrape();
		server.close();

		assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(502);

		awaitScrape((after) -> {
			assertThat(sum(after, "socketproxy_upstream_errors_total{") - sum(before, "socketproxy_upstream_errors_total{"))
				.isEqualTo(1);
			assertThat(delta(before, after,
					"socketproxy_requests_total{decision=\"allowed\",method=\"GET\",reason=\"none\"}"))
				.isEqualTo(1);
		});
	}

	@Test
	void openStreamsAreAGauge() throws Exception {
		HttpResponse<InputStream> events = send(HttpRequest.newBuilder(proxy.uri("/v1.41/events")),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = events.body()) {
			assertThat(body.read()).isEqualTo('{');
			awaitScrape((scrape) -> assertThat(scrape).contains("socketproxy_streams_open 1.0"));
		}
		awaitScrape((scrape) -> assertThat(scrape).contains("socketproxy_streams_open 0.0"));
	}

	@Test
	void actuatorIsNotReachableThroughTheProxyPort() throws Exception {
		HttpResponse<String> health = get(proxy.uri("/actuator/health"));
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEqualTo("from socket /actuator/health");

		HttpResponse<String> prometheus = get(proxy.uri("/actuator/prometheus"));
		assertThat(prometheus.statusCode()).isEqualTo(403);
		assertThat(prometheus.body()).isEqualTo("Forbidden\n");
		assertThat(get(proxy.uri("/health")).statusCode()).isEqualTo(403);
		assertThat(server.requests()).extracting(RecordingUnixSocketServer.Recorded::uri)
			.containsExactly("/actuator/health");
	}

	private static URI management(String path) {
		return URI.create("http://127.0.0.1:" + managementPort + path);
	}

	private String scrape() throws Exception {
		HttpResponse<String> response = get(management("/actuator/prometheus"));
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/** Scrapes until the assertions on the scrape hold, for at most ten seconds. */
	private void awaitScrape(Consumer<String> assertions) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertions.accept(scrape()));
	}

	private HttpResponse<String> get(URI uri) throws Exception {
		return send(HttpRequest.newBuilder(uri));
	}

	private int head(URI uri) throws Exception {
		return send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode();
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return send(request, HttpResponse.BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> body) throws Exception {
		HttpRequest request = builder.timeout(Duration.ofSeconds(20)).build();
		if (request.uri().getPort() == proxy.port()) {
			proxied++;
		}
		return this.client.send(request, body);
	}

	private static double delta(String before, String after, String series) {
		return value(after, series) - value(before, series);
	}

	/** The value of one series, 0 when it does not exist yet. */
	private static double value(String scrape, String series) {
		Matcher line = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		return line.find() ? Double.parseDouble(line.group(1)) : 0;
	}

	/** The sum over all series whose line starts with the prefix. */
	private static double sum(String scrape, String prefix) {
		return scrape.lines()
			.filter((line) -> line.startsWith(prefix))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

}
