package dev.socketproxy.access;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a refused request itself, so nothing of it reaches the socket: the status, a
 * plain-text body and the log line. The connection stays usable for the client's next
 * request.
 */
public final class DenialResponse {

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private DenialResponse() {
	}

	public static Mono<Void> send(ServerWebExchange exchange, Denial denial) {
		AccessLog.denied(exchange, denial);
		exchange.getAttributes().put(DENIAL_ATTRIBUTE, denial);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(denial.status());
		HttpHeaders headers = response.getHeaders();
		headers.setContentType(TEXT_PLAIN_UTF8);
		headers.set("X-Content-Type-Options", "nosniff");
		DataBuffer body = response.bufferFactory().wrap((denial.body() + "\n").getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

	/** Exchange attribute that holds the {@link Denial} of a refused request, for metrics. */
	public static final String DENIAL_ATTRIBUTE = DenialResponse.class.getName() + ".denial";

}
