package dev.socketproxy.access.body;

import java.time.Duration;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;

/**
 * Refuses a request whose body fails while it is read, inspected or streamed to the
 * socket: a body the decoder cannot read ({@link BrokenBodyGuard}) gets 400, one that
 * stops arriving for {@code limits.body-read-timeout} gets 408, or, once the response
 * has started, the connection is closed.
 * <p>
 * The failure never reaches whoever reads the body. Handed to the gateway's HTTP client,
 * it was the client's own error, which Reactor Netty logs at WARN with a stack trace ("The
 * connection observed an error") by design, whoever handles it (reactor/reactor-netty#2224),
 * and then a 500, or, once the socket had answered, a response left open until the read
 * timeout. Instead the body stops without a signal and the request's
 * forwarding is cancelled, which Reactor Netty's client takes as a cancel: it closes the
 * socket's connection, so what was sent of the body never becomes a whole request there
 * and the connection is never reused. As the failed body is never read again, Reactor
 * Netty's repeat of its error after the answer (which needed a dropped-error hook while
 * the reader failed with it) no longer reaches anyone either.
 */
public class BodyFailureFilter implements GlobalFilter, Ordered {

	private final Duration bodyReadTimeout;

	public BodyFailureFilter(Duration bodyReadTimeout) {
		this.bodyReadTimeout = bodyReadTimeout;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		// Without either header a request has no body (RFC 9112, 6.3), and nothing can fail.
		if (headers.getContentLength() <= 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return chain.filter(exchange);
		}
		Sinks.One<Denial> failed = Sinks.one();
		ServerHttpRequestDecorator request = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().onErrorResume(BodyFailureFilter::isBodyFailure, (ex) -> {
					failed.tryEmitValue(denial(ex));
					return Flux.never();
				});
			}
		};
		Mono<Denial> forwarded = chain.filter(exchange.mutate().request(request).build()).then(Mono.empty());
		// The first to signal wins: a failure cancels the forwarding before it is answered.
		return Mono.firstWithSignal(forwarded, failed.asMono())
			.flatMap((denial) -> exchange.getResponse().isCommitted() ? DenialResponse.cut(exchange, denial)
					: DenialResponse.send(exchange, denial));
	}

	private static boolean isBodyFailure(Throwable ex) {
		return ex instanceof InvalidBodyException || ex instanceof ReadTimeoutException;
	}

	private Denial denial(Throwable ex) {
		if (ex instanceof ReadTimeoutException) {
			return Denial.explained(HttpStatus.REQUEST_TIMEOUT,
					"body read timeout: no bytes for " + this.bodyReadTimeout.toMillis() + " ms");
		}
		return Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@Override
	public int getOrder() {
		return GatewayExchange.BODY_FAILURE;
	}

}
