package dev.socketproxy.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** The socket goes away while the proxy runs: 502 with a plain-text reason, then recovery without a restart. */
class SocketOutageIT {

	private static final int FAILED_REQUESTS = 300;

	private static final Pattern UPSTREAM_ERRORS = Pattern
		.compile("(?m)^socketproxy_upstream_errors_total\\{[^}]*} ([0-9.E]+)$");

	@TempDir
	Path dir;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void answers502WhileTheSocketIsGoneAndRecoversWhenItReturns() throws Exception {
		Path socket = this.dir.resolve("upstream.sock");
		RecordingUnixSocketServer first = RecordingUnixSocketServer.start(socket);
		try (RunningProxy proxy = RunningProxy.start("-socketpath=" + socket, "-allowGET=/v1\\.41/version")) {
			assertThat(get(proxy).statusCode()).isEqualTo(200);

			first.close();
			HttpResponse<String> down = get(proxy);
			assertThat(down.statusCode()).isEqualTo(502);
			assertThat(down.body()).isEqualTo("Bad Gateway: socket unreachable\n");
			assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));

			try (RecordingUnixSocketServer second = RecordingUnixSocketServer.start(socket)) {
				HttpResponse<String> back = get(proxy);
				assertThat(back.statusCode()).isEqualTo(200);
				assertThat(back.body()).isEqualTo("GET /v1.41/version");
				assertThat(second.requests()).hasSize(1);
			}
		}
	}

	/**
	 * The packaged jar, so the whole console output counts: every failed request is
	 * counted in the metrics, but the log gets one line for the outage, at most one
	 * summary per 10 s, and one line when the socket answers again.
	 */
	@Test
	void anOutageCostsAFewLogLinesWhileTheMetricsCountEveryFailure() throws Exception {
		Path socket = this.dir.resolve("upstream.sock");
		RecordingUnixSocketServer first = RecordingUnixSocketServer.start(socket);
		int port = RunningProxy.freePort();
		int management = RunningProxy.freePort();
		try (ProxyProcess proxy = ProxyProcess.start(Map.of(), "-socketpath=" + socket, "-allowGET=/v1\\.41/version",
				"-proxyport=" + port, "-allowhealthcheck", "--socketproxy.management.port=" + management)) {
			proxy.waitForPort(port, Duration.ofSeconds(60));
			proxy.waitForPort(management, Duration.ofSeconds(60));
			URI version = URI.create("http://127.0.0.1:" + port + "/v1.41/version");
			assertThat(get(version).statusCode()).isEqualTo(200);

			first.close();
			int logged = proxy.output().length();
			long start = System.nanoTime();
			for (int i = 0; i < FAILED_REQUESTS; i++) {
				assertThat(get(version).statusCode()).isEqualTo(502);
			}
			long gapSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
			List<String> gap = proxy.output().substring(logged).lines().toList();
			assertThat(gap).isNotEmpty().allMatch((line) -> line.contains("upstream socket"));
			assertThat(gap.get(0)).contains("ERROR", "upstream socket unreachable", "reason=\"socket unreachable\"",
					"path=\"/v1.41/version\"");
			assertThat(gap).hasSizeLessThanOrEqualTo(1 + (int) (gapSeconds / 10) + 1);

			try (RecordingUnixSocketServer second = RecordingUnixSocketServer.start(socket)) {
				assertThat(get(version).statusCode()).isEqualTo(200);
				proxy.waitForOutput("upstream socket answers again", Duration.ofSeconds(10));
			}
			List<String> recovery = proxy.output()
				.lines()
				.filter((line) -> line.contains("upstream socket answers again"))
				.toList();
			assertThat(recovery).singleElement()
				.satisfies((line) -> assertThat(line).contains("INFO", "count=\"" + FAILED_REQUESTS + "\""));
			assertThat(upstreamErrors(URI.create("http://127.0.0.1:" + management + "/actuator/prometheus")))
				.isEqualTo(FAILED_REQUESTS);
		}
	}

	private double upstreamErrors(URI prometheus) throws Exception {
		Matcher series = UPSTREAM_ERRORS.matcher(get(prometheus).body());
		double total = 0;
		while (series.find()) {
			total += Double.parseDouble(series.group(1));
		}
		return total;
	}

	private HttpResponse<String> get(RunningProxy proxy) throws Exception {
		return get(proxy.uri("/v1.41/version"));
	}

	private HttpResponse<String> get(URI uri) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
