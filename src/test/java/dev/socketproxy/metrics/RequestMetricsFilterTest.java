package dev.socketproxy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestRecorder;
import dev.socketproxy.access.RuleEnforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each request's decision is counted once, when its exchange ends, whatever ended it. */
class RequestMetricsFilterTest {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final ProxyMetrics metrics = new ProxyMetrics(this.registry);

	private final RequestMetricsFilter filter = new RequestMetricsFilter(new RequestRecorder(this.metrics, () -> {
	}));

	@Test
	void aRequestWithoutADenialIsCountedAsAllowed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/version"));

		this.filter.filter(exchange, (forwarded) -> Mono.empty()).block();

		assertThat(count("allowed", "none", "GET")).isEqualTo(1);
		assertThat(total()).isEqualTo(1);
	}

	@Test
	void aDenialIsCountedWithItsReason() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/secrets"));

		this.filter.filter(exchange, (forwarded) -> DenialResponse.send(forwarded, Denial.PATH_NOT_ALLOWED)).block();

		assertThat(count("denied", "path_not_allowed", "GET")).isEqualTo(1);
		assertThat(total()).isEqualTo(1);
	}

	@Test
	void aReportOnlyFindingIsCountedAsReported() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.delete("/v1.41/containers/web"));

		this.filter.filter(exchange, (forwarded) -> new RuleEnforcement(true).refuse(forwarded,
				(judged) -> Mono.empty(), Denial.METHOD_NOT_ALLOWED))
			.block();

		assertThat(count("reported", "method_not_allowed", "DELETE")).isEqualTo(1);
		assertThat(total()).isEqualTo(1);
	}

	@Test
	void anInventedMethodIsCountedAsOther() {
		MockServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.method(HttpMethod.valueOf("BREW"), "/v1.41/version"));

		this.filter.filter(exchange, (forwarded) -> DenialResponse.send(forwarded, Denial.METHOD_NOT_ALLOWED)).block();

		assertThat(count("denied", "method_not_allowed", "OTHER")).isEqualTo(1);
		assertThat(this.registry.find(ProxyMetrics.REQUESTS).tag("method", "BREW").counters()).isEmpty();
	}

	@Test
	void nothingIsCountedBeforeTheExchangeEnds() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));
		Sinks.Empty<Void> streaming = Sinks.empty();

		Disposable subscription = this.filter.filter(exchange, (forwarded) -> streaming.asMono()).subscribe();
		assertThat(total()).isZero();

		streaming.tryEmitEmpty();
		assertThat(subscription.isDisposed()).isTrue();
		assertThat(count("allowed", "none", "GET")).isEqualTo(1);
	}

	@Test
	void aClientThatGoesAwayIsCountedToo() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));

		this.filter.filter(exchange, (forwarded) -> Mono.never()).subscribe().dispose();

		assertThat(count("allowed", "none", "GET")).isEqualTo(1);
	}

	@Test
	void aFailedExchangeIsCountedToo() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/version"));

		assertThatThrownBy(() -> this.filter
			.filter(exchange, (forwarded) -> Mono.error(new IllegalStateException("failed")))
			.block()).hasMessage("failed");

		assertThat(count("allowed", "none", "GET")).isEqualTo(1);
	}

	@Test
	void theEndOfAStreamedResponseClosesItsStream() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));
		UpstreamMetricsFilter upstream = new UpstreamMetricsFilter(new RequestRecorder(this.metrics, () -> {
		}));
		Sinks.Empty<Void> streaming = Sinks.empty();

		this.filter.filter(exchange, (judged) -> upstream.filter(judged, (forwarded) -> Mono.empty()).then(streaming.asMono()))
			.subscribe();
		assertThat(openStreams()).isEqualTo(1);

		streaming.tryEmitEmpty();
		assertThat(openStreams()).isZero();
		assertThat(GatewayExchange.streamEnded(exchange)).isFalse();
	}

	@Test
	void anExchangeWithoutAStreamLeavesTheGaugeAlone() {
		this.metrics.streamOpened();
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/secrets"));

		this.filter.filter(exchange, (forwarded) -> DenialResponse.send(forwarded, Denial.PATH_NOT_ALLOWED)).block();

		assertThat(openStreams()).as("another exchange's stream is still open").isEqualTo(1);
	}

	private double count(String decision, String reason, String method) {
		return this.registry.get(ProxyMetrics.REQUESTS)
			.tag("decision", decision)
			.tag("reason", reason)
			.tag("method", method)
			.counter()
			.count();
	}

	private double total() {
		return this.registry.find(ProxyMetrics.REQUESTS).counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	private double openStreams() {
		return this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value();
	}

}
