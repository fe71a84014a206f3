package dev.socketproxy.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.distribution.HistogramSnapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.config.LegacyArguments;
import dev.socketproxy.upstream.UpstreamOutageLog;

import static org.assertj.core.api.Assertions.assertThat;

/** Tags come from fixed sets, whatever a client sends. */
class ProxyMetricsTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ProxyMetrics metrics = new ProxyMetrics(this.registry,
			new UpstreamOutageLog(Path.of("docker.sock")));

	@Test
	void decisionsAreCountedByDecisionReasonAndMethod() {
		this.metrics.decided("GET", null, null);
		this.metrics.decided("GET", null, null);
		this.metrics.decided("POST", Denial.PATH_NOT_ALLOWED, null);

		assertThat(this.registry.get(ProxyMetrics.REQUESTS)
			.tags("decision", "allowed", "reason", "none", "method", "GET")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.registry.get(ProxyMetrics.REQUESTS)
			.tags("decision", "denied", "reason", "path_not_allowed", "method", "POST")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void reportOnlyFindingsAreCountedApartFromRefusals() {
		this.metrics.decided("POST", null, Denial.METHOD_NOT_ALLOWED);

		assertThat(this.registry.get(ProxyMetrics.REQUESTS)
			.tags("decision", "reported", "reason", "method_not_allowed", "method", "POST")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find(ProxyMetrics.REQUESTS).tags("decision", "denied").counters())
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
	}

	@Test
	void inventedMethodsShareOneTagValue() {
		for (int i = 0; i < 50; i++) {
			this.metrics.decided("X-" + i, Denial.METHOD_NOT_ALLOWED, null);
			this.metrics.upstreamAnswered("Y-" + i, 200, Duration.ofMillis(1));
		}

		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters()).filteredOn((counter) -> counter.count() > 0)
			.singleElement()
			.satisfies((counter) -> assertThat(counter.getId().getTag("method")).isEqualTo("OTHER"));
		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters())
			.allSatisfy((counter) -> assertThat(counter.getId().getTag("method")).isIn(methods()));
		assertThat(this.registry.get(ProxyMetrics.UPSTREAM_REQUESTS).timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.count()).isEqualTo(50));
	}

	@Test
	void reasonsKeepOnlyTheirKind() {
		this.metrics.decided("POST", Denial.explained(HttpStatus.FORBIDDEN,
				"bind mount restriction: /etc is not below /srv"), null);
		this.metrics.decided("POST", Denial.explained(HttpStatus.FORBIDDEN,
				"bind mount restriction: /root is not below /srv"), null);

		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters()).filteredOn((counter) -> counter.count() > 0)
			.singleElement()
			.satisfies((counter) -> {
				assertThat(counter.getId().getTag("reason")).isEqualTo("bind_mount_restriction");
				assertThat(counter.count()).isEqualTo(2);
			});
	}

	@Test
	void everyDecisionSeriesExistsFromTheStart() {
		int reasons = RefusalReason.values().length;
		long rules = Stream.of(RefusalReason.values()).filter(RefusalReason::rule).count();
		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters()).hasSize((int) (methods().size() * (1 + reasons + rules)))
			.allSatisfy((counter) -> assertThat(counter.count()).isZero());
		assertThat(this.registry.get(ProxyMetrics.REQUESTS).tags("decision", "denied", "reason", "forbidden_ip", "method", "OTHER")
			.counter()).isNotNull();
		assertThat(this.registry.get(ProxyMetrics.REQUESTS).tags("decision", "reported", "reason", "container_policy", "method", "POST")
			.counter()).isNotNull();
	}

	@Test
	void upstreamHistogramHasFewBucketsFromAMillisecondToTenSeconds() {
		this.metrics.upstreamAnswered("GET", 200, Duration.ofMillis(3));

		HistogramSnapshot snapshot = this.registry.get(ProxyMetrics.UPSTREAM_REQUESTS).timer().takeSnapshot();
		assertThat(snapshot.histogramCounts()).hasSizeLessThanOrEqualTo(14);
		assertThat(snapshot.histogramCounts()[0].bucket(TimeUnit.MILLISECONDS)).isEqualTo(1);
		assertThat(snapshot.histogramCounts()[snapshot.histogramCounts().length - 1].bucket(TimeUnit.SECONDS)).isEqualTo(10);
		assertThat(snapshot.percentileValues()).isEmpty();
	}

	@Test
	void upstreamErrorsAreTaggedWithTheExceptionInSnakeCase() {
		this.metrics.upstreamFailed("GET", new java.net.ConnectException("refused"));

		assertThat(this.registry.get(ProxyMetrics.UPSTREAM_ERRORS).tags("error", "connect_exception", "method", "GET")
			.counter()
			.count()).isEqualTo(1);
		assertThat(ProxyMetrics.snakeCase("PrematureCloseException")).isEqualTo("premature_close_exception");
	}

	private static List<String> methods() {
		return Stream.concat(LegacyArguments.METHODS.stream(), Stream.of("OTHER")).toList();
	}

	@Test
	void openStreamsGoUpAndDown() {
		this.metrics.streamOpened();
		this.metrics.streamOpened();
		this.metrics.streamClosed();

		assertThat(this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value()).isEqualTo(1);
	}

}
