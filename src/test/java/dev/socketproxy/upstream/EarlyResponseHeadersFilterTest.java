package dev.socketproxy.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The socket's response headers reach the client before the first body bytes of a
 * streamed answer, and nothing changes for answers whose length is known.
 */
class EarlyResponseHeadersFilterTest {

	private final EarlyResponseHeadersFilter filter = new EarlyResponseHeadersFilter();

	@Test
	void aStreamedAnswerIsCommittedBeforeItsFirstBodyBytes() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));
		Sinks.Many<DataBuffer> idle = Sinks.many().unicast().onBackpressureBuffer();

		Disposable streaming = this.filter.filter(exchange, writing(idle.asFlux())).subscribe();
		try {
			assertThat(exchange.getResponse().isCommitted()).as("headers sent while the body is still idle").isTrue();
		}
		finally {
			streaming.dispose();
		}
	}

	/** What the filter changes: without it, an idle stream keeps its headers back. */
	@Test
	void withoutTheFilterAnIdleStreamIsNotCommitted() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));
		Sinks.Many<DataBuffer> idle = Sinks.many().unicast().onBackpressureBuffer();

		Disposable streaming = writing(idle.asFlux()).filter(exchange).subscribe();
		try {
			assertThat(exchange.getResponse().isCommitted()).isFalse();
		}
		finally {
			streaming.dispose();
		}
	}

	@Test
	void aStreamedAnswerStartsWithAnEmptyBufferThenItsBody() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/events"));

		this.filter.filter(exchange, writing(Flux.just(buffer("{\"a\":1}\n"), buffer("{\"a\":2}\n")))).block();

		assertThat(readableBytes(exchange)).containsExactly(0, 8, 8);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
	}

	@Test
	void aStreamWrittenAndFlushedAlsoStartsWithAnEmptyBuffer() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/containers/web/logs"));

		this.filter.filter(exchange, (forwarded) -> forwarded.getResponse()
			.writeAndFlushWith(Flux.just(Flux.just(buffer("line 1\n")), Flux.just(buffer("line 2\n")))))
			.block();

		assertThat(readableBytes(exchange)).containsExactly(0, 7, 7);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("line 1\nline 2\n");
	}

	@Test
	void anAnswerWithALengthIsUnchanged() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/version"));

		this.filter.filter(exchange, (forwarded) -> {
			forwarded.getResponse().getHeaders().setContentLength(3);
			return forwarded.getResponse().writeWith(Flux.just(buffer("{}\n")));
		}).block();

		assertThat(readableBytes(exchange)).containsExactly(3);
	}

	@Test
	void noContentAndNotModifiedGetNoBody() {
		for (HttpStatus status : List.of(HttpStatus.NO_CONTENT, HttpStatus.NOT_MODIFIED)) {
			MockServerWebExchange exchange = MockServerWebExchange
				.from(MockServerHttpRequest.post("/v1.41/containers/web/start"));

			this.filter.filter(exchange, (forwarded) -> {
				forwarded.getResponse().setStatusCode(status);
				return forwarded.getResponse().writeWith(Flux.empty());
			}).block();

			assertThat(readableBytes(exchange)).as("%s", status).isEmpty();
		}
	}

	@Test
	void aHeadRequestPassesAsItIs() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.head("/v1.41/events"));
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		this.filter.filter(exchange, (received) -> {
			forwarded.set(received);
			return Mono.empty();
		}).block();

		assertThat(forwarded.get()).isSameAs(exchange);
	}

	private static GatewayFilterChain writing(Flux<DataBuffer> body) {
		return (exchange) -> exchange.getResponse().writeWith(body);
	}

	private static List<Integer> readableBytes(MockServerWebExchange exchange) {
		return exchange.getResponse().getBody().map(DataBuffer::readableByteCount).collectList().block();
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
