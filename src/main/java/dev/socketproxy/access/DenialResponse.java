package dev.socketproxy.access;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a refused request itself, so nothing of it reaches the socket: the status, a
 * plain-text body (or the engine's JSON error shape, {@link Denial#engineError}) and the log line; the refusal is kept for the metrics
 * ({@link GatewayExchange#denial}). The connection stays usable for the client's next
 * request, unless the refusal comes after the response started ({@link #cut}).
 */
public final class DenialResponse {

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private DenialResponse() {
	}

	public static Mono<Void> send(ServerWebExchange exchange, Denial denial) {
		AccessLog.denied(exchange, denial);
		GatewayExchange.putDenial(exchange, denial);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(denial.status());
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(denial.engineShaped() ? MediaType.APPLICATION_JSON : TEXT_PLAIN_UTF8);
		headers.set("X-Content-Type-Options", "nosniff");
		DataBuffer body = response.bufferFactory().wrap((denial.body() + "\n").getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

	/**
	 * Refuses a request whose response has already started (the socket's answer is on its
	 * way): it can no longer say so, so the client's connection is closed, and the client
	 * sees a response cut short. The log line's {@code status} is the one the client got.
	 */
	public static Mono<Void> cut(ServerWebExchange exchange, Denial denial) {
		HttpStatus sent = (exchange.getResponse().getStatusCode() != null)
				? HttpStatus.resolve(exchange.getResponse().getStatusCode().value()) : null;
		Denial cut = new Denial((sent != null) ? sent : denial.status(), denial.reason() + ", response cut", denial.body());
		AccessLog.denied(exchange, cut);
		GatewayExchange.putDenial(exchange, cut);
		if (ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection) {
			connection.channel().close();
		}
		return Mono.empty();
	}

}
