package dev.socketproxy.it;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.config.AccessRules;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics as operators see them: a real Prometheus (Debian's {@code prometheus}
 * package) scrapes the management port every second and is asked through its HTTP query
 * API. Covers what only a scrape shows: series that exist before their first increment
 * (or {@code increase()} misses it), the upgrade answers in the upstream histogram, its
 * bucket count, label style, and the example Grafana dashboard's queries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {

	private static final Path DASHBOARD = Path.of("examples/grafana/socket-proxy-dashboard.json");

	private static final String EXEC_START = "/v1.41/exec/upgrade/start";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newHttpClient();

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy proxy;

	private Process prometheus;

	private int prometheusPort;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("prometheus-it");
		this.server = RawUnixSocketServer.start(this.dir.resolve("docker.sock"), RawUnixSocketServer.dockerLike());
		int managementPort = RunningProxy.freePort();
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(), "-allowGET=/v1\\.41/version",
				"-allowPOST=" + EXEC_START, "-allowhealthcheck", "--socketproxy.management.port=" + managementPort);
		this.prometheusPort = RunningProxy.freePort();
		Path config = Files.writeString(this.dir.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				scrape_configs:
				  - job_name: socket-proxy
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(managementPort));
		this.prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
				"--storage.tsdb.path=" + this.dir.resolve("data"), "--web.listen-address=127.0.0.1:" + this.prometheusPort)
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("prometheus.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
			assertThat(this.prometheus.isAlive()).as("prometheus running, see %s", this.dir.resolve("prometheus.log")).isTrue();
			assertThat(values("up{job=\"socket-proxy\"}")).containsExactly(1.0);
		});
	}

	@AfterAll
	void stop() throws Exception {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			this.prometheus.waitFor();
		}
		this.proxy.close();
		this.server.close();
		FileSystemUtils.deleteRecursively(this.dir);
	}

	/** Runs first: before any request, every decision series is already scraped, at 0. */
	@Test
	@Order(1)
	void everyRefusalSeriesIsThereAtZeroFromTheStart() throws Exception {
		List<String> methods = Stream.concat(AccessRules.METHODS.stream(), Stream.of("OTHER")).toList();
		Set<String> reasons = new TreeSet<>();
		for (RefusalReason reason : RefusalReason.values()) {
			reasons.add(reason.label());
		}
		long rules = Stream.of(RefusalReason.values()).filter(RefusalReason::rule).count();

		List<JsonNode> series = series("socketproxy_requests_total");
		assertThat(series).hasSize((int) (methods.size() * (1 + reasons.size() + rules)));
		assertThat(series).allSatisfy((one) -> assertThat(one.get("value").get(1).asString()).isEqualTo("0"));
		assertThat(labelValues(series, "reason")).containsAll(reasons).contains("none");
		assertThat(labelValues(series, "method")).containsExactlyInAnyOrderElementsOf(methods);
		assertThat(labelValues(series, "decision")).containsExactlyInAnyOrder("allowed", "denied", "reported");
		assertThat(values("count(socketproxy_requests_total{reason!~\"[a-z]+(_[a-z]+)*\"})")).isEmpty();
	}

	@Test
	@Order(2)
	void increaseSeesTheFirstRefusalOfAKind() throws Exception {
		String series = "socketproxy_requests_total{decision=\"denied\",reason=\"path_not_allowed\",method=\"GET\"}";
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(values("count_over_time(" + series + "[1m])")).singleElement()
				.satisfies((samples) -> assertThat(samples).isGreaterThanOrEqualTo(2)));

		assertThat(this.proxy.status("GET", "/v1.41/secrets")).isEqualTo(403);

		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(values("increase(" + series + "[1m])")).singleElement()
				.satisfies((increase) -> assertThat(increase).isGreaterThan(0.5)));
	}

	@Test
	@Order(3)
	void upgradeAnswersAreTimedToThe101() throws Exception {
		try (Socket client = upgrade()) {
			assertThat(readHead(client)).startsWith("HTTP/1.1 101 ");
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(values("socketproxy_hijacked_connections_open")).containsExactly(1.0));
		}

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(values("socketproxy_upstream_requests_seconds_count{method=\"POST\",status=\"101\"}"))
				.containsExactly(1.0);
			assertThat(values("socketproxy_hijacked_connections_open")).containsExactly(0.0);
		});
	}

	@Test
	@Order(4)
	void theUpstreamHistogramHasFewBucketsFromAMillisecondToTenSeconds() throws Exception {
		assertThat(this.proxy.status("GET", "/v1.41/version")).isEqualTo(200);

		String buckets = "socketproxy_upstream_requests_seconds_bucket{method=\"GET\",status=\"200\"}";
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(values(buckets)).contains(1.0));
		List<String> bounds = labelValues(series(buckets), "le");
		assertThat(bounds).hasSizeLessThanOrEqualTo(15).contains("0.001", "10.0", "+Inf");
		assertThat(bounds.stream().filter((le) -> !le.equals("+Inf")).mapToDouble(Double::parseDouble))
			.allSatisfy((le) -> assertThat(le).isBetween(0.001, 10.0));
	}

	/**
	 * Every metric the dashboard queries is in the scrape, and every query is valid PromQL.
	 * Runs last: the socket goes away first, for the upstream errors the dashboard shows
	 * (an upgrade request, since the tunnel connects anew where a pooled connection
	 * would still reach the closed server).
	 */
	@Test
	@Order(5)
	void theDashboardQueriesMetricsThatAreScraped() throws Exception {
		this.server.close();
		try (Socket client = upgrade()) {
			assertThat(readHead(client)).startsWith("HTTP/1.1 502 ");
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(values("sum(socketproxy_upstream_errors_total)")).containsExactly(1.0));
		assertThat(values("count(socketproxy_upstream_errors_total{error!~\"[a-z]+(_[a-z]+)*\"})")).isEmpty();

		Set<String> scraped = new TreeSet<>();
		api("/api/v1/label/__name__/values").get("data").forEach((name) -> scraped.add(name.asString()));
		List<String> queries = new ArrayList<>();
		JSON.readTree(DASHBOARD.toFile()).get("panels").forEach((panel) -> panel.get("targets")
			.forEach((target) -> queries.add(target.get("expr").asString())));
		assertThat(queries).hasSizeGreaterThanOrEqualTo(8);

		Pattern metric = Pattern.compile("\\b(?:socketproxy|jvm|process|reactor_netty|netty|system)_[a-z0-9_]+\\b");
		Set<String> used = new TreeSet<>();
		for (String query : queries) {
			Matcher names = metric.matcher(query);
			names.results().forEach((name) -> used.add(name.group()));
			// Grafana's variables, as Grafana would fill them in.
			JsonNode answer = api("/api/v1/query?query="
					+ encode(query.replace("$__rate_interval", "1m").replace("$job", "socket-proxy")));
			assertThat(answer.get("status").asString()).as(query).isEqualTo("success");
		}
		assertThat(used).contains("socketproxy_requests_total", "socketproxy_upstream_requests_seconds_bucket",
				"socketproxy_streams_open", "socketproxy_hijacked_connections_open", "socketproxy_socket_up",
				"jvm_memory_used_bytes");
		assertThat(scraped).containsAll(used);
	}

	private Socket upgrade() throws IOException {
		Socket client = new Socket("127.0.0.1", this.proxy.port());
		client.setSoTimeout(20_000);
		client.getOutputStream()
			.write(("POST " + EXEC_START + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
					+ "Content-Length: 0\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		return client;
	}

	private static String readHead(Socket client) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int read = client.getInputStream().read();
			assertThat(read).as("end of the answer before its head ended: %s", head).isNotNegative();
			head.append((char) read);
		}
		return head.toString();
	}

	/** The instant vector of a query, as its sample values. */
	private List<Double> values(String query) throws Exception {
		List<Double> values = new ArrayList<>();
		query(query).forEach((one) -> values.add(Double.parseDouble(one.get("value").get(1).asString())));
		return values;
	}

	private List<JsonNode> series(String query) throws Exception {
		List<JsonNode> series = new ArrayList<>();
		query(query).forEach(series::add);
		return series;
	}

	private JsonNode query(String query) throws Exception {
		JsonNode answer = api("/api/v1/query?query=" + encode(query));
		assertThat(answer.get("status").asString()).as(query).isEqualTo("success");
		return answer.get("data").get("result");
	}

	private JsonNode api(String pathAndQuery) throws Exception {
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.prometheusPort + pathAndQuery))
					.timeout(Duration.ofSeconds(20))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	private static List<String> labelValues(List<JsonNode> series, String label) {
		return series.stream().map((one) -> one.get("metric").get(label).asString()).distinct().toList();
	}

	private static String encode(String query) {
		return URLEncoder.encode(query, StandardCharsets.UTF_8);
	}

}
