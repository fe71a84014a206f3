package dev.socketproxy.metrics;

import java.net.ConnectException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestRecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket's answers are timed by status, its failures counted by kind, and an answer opens a stream. */
class UpstreamMetricsFilterTest {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final UpstreamMetricsFilter filter = new UpstreamMetricsFilter(
			new RequestRecorder(new ProxyMetrics(this.registry), () -> {
			}));

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("/v1.41/version"));

	@Test
	void anAnswerIsTimedByMethodAndStatusAndOpensAStream() {
		this.filter.filter(this.exchange, (forwarded) -> {
			forwarded.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
			return Mono.empty();
		}).block();

		Timer answered = this.registry.get(ProxyMetrics.UPSTREAM_REQUESTS).tag("method", "GET").tag("status", "404").timer();
		assertThat(answered.count()).isEqualTo(1);
		assertThat(this.registry.find(ProxyMetrics.UPSTREAM_ERRORS).counters()).isEmpty();
		assertThat(this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value()).isEqualTo(1);
		assertThat(GatewayExchange.streamEnded(this.exchange)).as("a stream was open").isTrue();
	}

	@Test
	void aFailureIsCountedByItsKindAndNotTimed() {
		assertThatThrownBy(() -> this.filter
			.filter(this.exchange, (forwarded) -> Mono.error(new ConnectException("connection refused")))
			.block()).hasRootCauseInstanceOf(ConnectException.class);

		assertThat(this.registry.get(ProxyMetrics.UPSTREAM_ERRORS)
			.tag("method", "GET")
			.tag("error", "connect_exception")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.find(ProxyMetrics.UPSTREAM_REQUESTS).timers()).isEmpty();
		assertThat(this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value()).isZero();
	}

	@Test
	void aStreamIsOpenedOncePerExchange() {
		this.filter.filter(this.exchange, (forwarded) -> Mono.empty()).block();
		this.filter.filter(this.exchange, (forwarded) -> Mono.empty()).block();

		assertThat(this.registry.get(ProxyMetrics.STREAMS_OPEN).gauge().value()).isEqualTo(1);
	}

}
