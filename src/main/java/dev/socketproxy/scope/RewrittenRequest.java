package dev.socketproxy.scope;

import java.net.URI;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.AccessLog;

/** A judged request as a scope filter rewrites it for the socket: another path, query or body. */
final class RewrittenRequest {

	private RewrittenRequest() {
	}

	/**
	 * The exchange with the request's path replaced; the query stays as it was. The
	 * {@code rewritten request} line says what the socket receives.
	 * @param rawPath the new path, percent-encoded
	 */
	static ServerWebExchange path(ServerWebExchange exchange, String rawPath) {
		String query = exchange.getRequest().getURI().getRawQuery();
		AccessLog.rewritten(exchange, rawPath + ((query != null) ? "?" + query : ""));
		return exchange.mutate().request(exchange.getRequest().mutate().path(rawPath).build()).build();
	}

	/**
	 * The exchange with the request's query replaced; the path stays byte for byte. The
	 * {@code rewritten request} line says what the socket receives.
	 * @param rawQuery the new query, percent-encoded, in a form the gateway's routing keeps
	 * ({@code access.body.EngineForm#with})
	 */
	static ServerWebExchange query(ServerWebExchange exchange, String rawQuery) {
		URI received = exchange.getRequest().getURI();
		String forwarded = received.getRawPath() + "?" + rawQuery;
		URI uri = URI.create(received.getScheme() + "://" + received.getRawAuthority() + forwarded);
		AccessLog.rewritten(exchange, forwarded);
		return exchange.mutate().request(exchange.getRequest().mutate().uri(uri).build()).build();
	}

	/** The exchange with the request's body replaced, and its length set to the new body's. */
	static ServerWebExchange body(ServerWebExchange exchange, byte[] body) {
		HttpHeaders headers = HttpHeaders.copyOf(exchange.getRequest().getHeaders());
		headers.remove(HttpHeaders.TRANSFER_ENCODING);
		headers.setContentLength(body.length);
		HttpHeaders forwarded = HttpHeaders.readOnlyHttpHeaders(headers);
		ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public HttpHeaders getHeaders() {
				return forwarded;
			}

			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}
		};
		return exchange.mutate().request(request).build();
	}

}
