package dev.socketproxy.access.body;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.support.FilterServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A body that fails while it is read gets its own refusal, and whoever was reading it
 * (the forwarding) never sees the failure but is cancelled. On a mock exchange, except
 * where the refusal closes the client's connection: that needs a {@link FilterServer}.
 */
class BodyFailureFilterTest {

	private final BodyFailureFilter filter = new BodyFailureFilter(Duration.ofMillis(250));

	private final AtomicBoolean cancelled = new AtomicBoolean();

	private final AtomicReference<Throwable> seenByReader = new AtomicReference<>();

	@Test
	void anUnreadableBodyIsABadRequestAndTheForwardingIsCancelled() {
		MockServerWebExchange exchange = withBody(
				Flux.concat(Flux.just(buffer("{\"Image\"")), Flux.error(new InvalidBodyException("malformed chunk"))));

		this.filter.filter(exchange, forwarding()).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("Bad Request: malformed chunk\n");
		assertThat(GatewayExchange.denial(exchange).reason()).isEqualTo("malformed chunk");
		assertThat(this.cancelled).as("forwarding cancelled").isTrue();
		assertThat(this.seenByReader.get()).as("failure seen by the reader").isNull();
	}

	@Test
	void aBodyThatStopsArrivingIsARequestTimeout() {
		MockServerWebExchange exchange = withBody(Flux.error(ReadTimeoutException.INSTANCE));

		this.filter.filter(exchange, forwarding()).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
		assertThat(GatewayExchange.denial(exchange).reason())
			.isEqualTo("body read timeout: no bytes for 250 ms");
		assertThat(this.cancelled).as("forwarding cancelled").isTrue();
	}

	/**
	 * The socket's answer has started streaming when a chunk of the body turns out broken:
	 * the status can no longer change, so the client's connection is closed and the client
	 * sees the answer end without its last chunk. Only a real connection shows that.
	 */
	@Test
	void onceTheAnswerHasStartedABrokenBodyCutsTheConnection() throws Exception {
		AtomicReference<ServerWebExchange> judged = new AtomicReference<>();
		GatewayFilterChain streaming = (exchange) -> {
			judged.set(exchange);
			return exchange.getResponse()
				.writeAndFlushWith(Flux.just(Flux.just(buffer("answer started\n")),
						exchange.getRequest().getBody().thenMany(Flux.<DataBuffer>empty())));
		};
		try (FilterServer server = FilterServer.start(this.filter, streaming,
				(pipeline) -> pipeline.addAfter(NettyPipeline.HttpCodec, "brokenBodyGuard", new BrokenBodyGuard()));
				Socket client = new Socket("127.0.0.1", server.port())) {
			client.setSoTimeout(10_000);
			OutputStream out = client.getOutputStream();
			out.write(("POST /v1.41/containers/web/attach HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\nhello\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = client.getInputStream();
			StringBuilder answer = new StringBuilder();
			while (!answer.toString().contains("answer started\n")) {
				int read = in.read();
				assertThat(read).as("end of the answer before its first chunk: %s", answer).isNotNegative();
				answer.append((char) read);
			}

			out.write("zz\r\nbroken\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			answer.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));

			assertThat(answer.toString()).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("\r\n0\r\n\r\n");
		}
		Denial cut = GatewayExchange.denial(judged.get());
		assertThat(cut.reason()).startsWith("malformed body: ").endsWith(", response cut");
		assertThat(cut.status()).as("the status the client got").isEqualTo(HttpStatus.OK);
	}

	@Test
	void aWholeBodyIsForwardedAsItCame() {
		MockServerWebExchange exchange = withBody(Flux.just(buffer("{\"Image\":"), buffer("\"mini\"}")));
		AtomicReference<String> body = new AtomicReference<>();

		this.filter.filter(exchange, (forwarded) -> forwarded.getRequest()
			.getBody()
			.map((buffer) -> buffer.toString(StandardCharsets.UTF_8))
			.reduce(String::concat)
			.doOnNext(body::set)
			.then()).block();

		assertThat(body.get()).isEqualTo("{\"Image\":\"mini\"}");
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(GatewayExchange.denial(exchange)).isNull();
	}

	@Test
	void anyOtherBodyFailureReachesTheReader() {
		IllegalStateException other = new IllegalStateException("not a body failure");
		MockServerWebExchange exchange = withBody(Flux.error(other));

		assertThatThrownBy(() -> this.filter.filter(exchange, forwarding()).block()).isSameAs(other);
		assertThat(this.seenByReader.get()).isSameAs(other);
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void aRequestWithoutABodyPassesAsItIs() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.41/version"));
		AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

		this.filter.filter(exchange, (forwarded) -> {
			passed.set(forwarded);
			return Mono.empty();
		}).block();

		assertThat(passed.get()).isSameAs(exchange);
	}

	/** The routing: reads the whole body, then would forward it. */
	private GatewayFilterChain forwarding() {
		return (exchange) -> exchange.getRequest()
			.getBody()
			.doOnError(this.seenByReader::set)
			.then()
			.doOnCancel(() -> this.cancelled.set(true));
	}

	private static MockServerWebExchange withBody(Flux<DataBuffer> body) {
		return MockServerWebExchange.from(MockServerHttpRequest.post("/v1.41/containers/create")
			.header("Transfer-Encoding", "chunked")
			.body(body));
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
