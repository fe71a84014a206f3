package dev.socketproxy.redact;

import java.util.Optional;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.BoundedBody;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RedactedEndpoint;
import dev.socketproxy.access.RequestTarget;

/**
 * {@code redact-env}: for clients whose rules ask for it, the successful {@code GET}
 * answers of the {@link RedactedEndpoint}s are read whole, up to {@value #MAX_ANSWER}
 * bytes, and passed on with every environment value (and config data) removed
 * ({@link EnvRedaction}) and their new {@code Content-Length}. An answer that cannot be
 * redacted (longer than the bound, encoded, not JSON, malformed) is replaced by 502, never
 * passed on. {@code HEAD} requests and error answers carry no document and pass.
 * <p>
 * Spring Cloud Gateway's {@code ModifyResponseBodyGatewayFilterFactory} does not fit: it
 * decodes through the codecs, with their shared in-memory limit, inflates gzip itself, and
 * fails an unreadable answer with a 500 from the error handler, after which nothing says
 * why and the metrics do not count it. Here a refusal is an ordinary {@link Denial}.
 */
public class RedactEnvFilter implements GlobalFilter, Ordered {

	/** Larger than any inspect answer or list of a real engine. */
	static final int MAX_ANSWER = 4 * 1024 * 1024;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || exchange.getRequest().getMethod() != HttpMethod.GET) {
			return chain.filter(exchange);
		}
		Optional<RedactedEndpoint> endpoint = client.redacted(target.path());
		if (endpoint.isEmpty()) {
			return chain.filter(exchange);
		}
		RedactingResponse response = new RedactingResponse(exchange, endpoint.get().removesSpecData());
		return chain.filter(exchange.mutate().response(response).build());
	}

	@Override
	public int getOrder() {
		return GatewayExchange.REDACT_ENV;
	}

	private static final class RedactingResponse extends ServerHttpResponseDecorator {

		private final ServerWebExchange exchange;

		private final boolean removeSpecData;

		RedactingResponse(ServerWebExchange exchange, boolean removeSpecData) {
			super(exchange.getResponse());
			this.exchange = exchange;
			this.removeSpecData = removeSpecData;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			HttpStatusCode status = getStatusCode();
			if (status == null || !status.is2xxSuccessful()) {
				return super.writeWith(body);
			}
			Optional<String> unexpected = unexpected(getHeaders());
			if (unexpected.isPresent()) {
				// Taking nothing cancels the answer, and the gateway closes its connection to the socket.
				return Flux.from(body).take(0).then(notRedacted(unexpected.get()));
			}
			return BoundedBody.read(body, MAX_ANSWER)
				.flatMap(this::writeRedacted)
				.onErrorResume(DataBufferLimitException.class,
						(ex) -> notRedacted("answer larger than " + MAX_ANSWER + " bytes"));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return writeWith(Flux.from(body).concatMap(Flux::from));
		}

		private Mono<Void> writeRedacted(byte[] answer) {
			byte[] redacted;
			try {
				redacted = EnvRedaction.redact(answer, this.removeSpecData);
			}
			catch (IllegalArgumentException ex) {
				return notRedacted(ex.getMessage());
			}
			getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
			getHeaders().setContentLength(redacted.length);
			return super.writeWith(Mono.fromSupplier(() -> bufferFactory().wrap(redacted)));
		}

		/** Why an answer cannot be redacted from its headers alone, if it cannot. */
		private static Optional<String> unexpected(HttpHeaders headers) {
			String encoding = headers.getFirst(HttpHeaders.CONTENT_ENCODING);
			if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
				return Optional.of("encoded answer");
			}
			try {
				MediaType type = headers.getContentType();
				if (type == null || !MediaType.APPLICATION_JSON.equalsTypeAndSubtype(type)) {
					return Optional.of("answer not JSON");
				}
			}
			catch (InvalidMediaTypeException ex) {
				return Optional.of("answer not JSON");
			}
			return Optional.empty();
		}

		/** Replaces the socket's answer, none of which was sent, by a 502. */
		private Mono<Void> notRedacted(String why) {
			ServerHttpResponse response = getDelegate();
			response.getHeaders().clear();
			return DenialResponse.send(this.exchange,
					Denial.explained(HttpStatus.BAD_GATEWAY, "response not redacted: " + why));
		}

	}

}
