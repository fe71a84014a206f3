package dev.socketproxy.upstream;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.GatewayExchange;

/**
 * Sends the socket's response headers to the client as soon as they arrive, not with the
 * first body bytes. Docker's long polls and streams answer with headers at once and the
 * body much later: {@code POST /containers/{id}/wait} only when the container exits, an
 * idle {@code /events} or {@code logs?follow=1} when something happens. The docker CLI
 * waits for {@code wait}'s headers before it starts a container, so held-back headers
 * hang {@code docker run}. WebFlux commits a response on its first body item, so a
 * response without a {@code Content-Length} gets an empty one up front.
 */
public class EarlyResponseHeadersFilter implements GlobalFilter, Ordered {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		if (exchange.getRequest().getMethod() == HttpMethod.HEAD) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate().response(new HeadersFirstResponse(exchange.getResponse())).build());
	}

	@Override
	public int getOrder() {
		return GatewayExchange.EARLY_RESPONSE_HEADERS;
	}

	private static final class HeadersFirstResponse extends ServerHttpResponseDecorator {

		HeadersFirstResponse(ServerHttpResponse delegate) {
			super(delegate);
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			if (body instanceof Mono || !hasOpenEndedBody()) {
				return super.writeWith(body);
			}
			return super.writeWith(Flux.concat(Mono.fromSupplier(this::emptyBuffer), body));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return super.writeAndFlushWith(
					hasOpenEndedBody() ? Flux.concat(Mono.just(Mono.fromSupplier(this::emptyBuffer)), body) : body);
		}

		/** Streamed (chunked) bodies; bodies with a length, 204 and 304 arrive with their headers. */
		private boolean hasOpenEndedBody() {
			HttpStatus status = HttpStatus.resolve((getStatusCode() != null) ? getStatusCode().value() : 200);
			return getHeaders().getContentLength() < 0 && status != HttpStatus.NO_CONTENT
					&& status != HttpStatus.NOT_MODIFIED;
		}

		private DataBuffer emptyBuffer() {
			return bufferFactory().allocateBuffer(0);
		}

	}

}
