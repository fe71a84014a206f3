package dev.socketproxy.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.socketproxy.access.Denial;

import static org.assertj.core.api.Assertions.assertThat;

/** Tags come from fixed sets, whatever a client sends. */
class ProxyMetricsTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ProxyMetrics metrics = new ProxyMetrics(this.registry);

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
			.tags("decision", "denied", "reason", "path not allowed", "method", "POST")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void reportOnlyFindingsAreCountedApartFromRefusals() {
		this.metrics.decided("POST", null, Denial.METHOD_NOT_ALLOWED);

		assertThat(this.registry.get(ProxyMetrics.REQUESTS)
			.tags("decision", "reported", "reason", "method not allowed", "method", "POST")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find(ProxyMetrics.REQUESTS).tags("decision", "denied").counters()).isEmpty();
	}

	@Test
	void inventedMethodsShareOneTagValue() {
		for (int i = 0; i < 50; i++) {
			this.metrics.decided("X-" + i, Denial.METHOD_NOT_ALLOWED, null);
			this.metrics.upstreamAnswered("Y-" + i, 200, Duration.ofMillis(1));
		}

		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters()).singleElement()
			.satisfies((counter) -> assertThat(counter.getId().getTag("method")).isEqualTo("OTHER"));
		assertThat(this.registry.get(ProxyMetrics.UPSTREAM_REQUESTS).timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.count()).isEqualTo(50));
	}

	@Test
	void reasonsKeepOnlyTheirCategory() {
		this.metrics.decided("POST", Denial.explained(org.springframework.http.HttpStatus.FORBIDDEN,
				"bind mount restriction: /etc is not below /srv"), null);
		this.metrics.decided("POST", Denial.explained(org.springframework.http.HttpStatus.FORBIDDEN,
				"bind mount restriction: /root is not below /srv"), null);

		assertThat(this.registry.get(ProxyMetrics.REQUESTS).counters()).singleElement().satisfies((counter) -> {
			assertThat(counter.getId().getTag("reason")).isEqualTo("bind mount restriction");
			assertThat(counter.count()).isEqualTo(2);
		});
	}

	@Test
	void openStreamsGoUpAndDown() {
		this.metrics.streamOpened();
		this.metrics.streamOpened();
		this.metrics.streamClosed();

		assertThat(this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value()).isEqualTo(1);
	}

}
