package dev.socketproxy.access;

import java.util.Optional;
import java.util.function.UnaryOperator;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * An engine answer the proxy rewrites before the client sees any of it: a successful
 * answer is read whole, up to a bound, rewritten, and passed on with its new
 * {@code Content-Length}. An answer that cannot be rewritten (longer than the bound,
 * encoded, not JSON, or refused by the rewrite) is replaced by 502, never passed on.
 * Error answers carry no document of ours and pass.
 * <p>
 * Spring Cloud Gateway's {@code ModifyResponseBodyGatewayFilterFactory} does not fit: it
 * decodes through the codecs, with their shared in-memory limit, inflates gzip itself, and
 * fails an unreadable answer with a 500 from the error handler, after which nothing says
 * why and the metrics do not count it. Here a refusal is an ordinary {@link Denial}.
 */
public final class RewrittenResponse extends ServerHttpResponseDecorator {

	private final ServerWebExchange exchange;

	private final int maxAnswer;

	private final String failure;

	private final UnaryOperator<byte[]> rewrite;

	/**
	 * @param maxAnswer the longest answer read
	 * @param failure the start of the 502's reason, such as {@code response not redacted}
	 * @param rewrite the new answer; throws {@link IllegalArgumentException}, whose message
	 * says why, for an answer it cannot rewrite
	 */
	public RewrittenResponse(ServerWebExchange exchange, int maxAnswer, String failure, UnaryOperator<byte[]> rewrite) {
		super(exchange.getResponse());
		this.exchange = exchange;
		this.maxAnswer = maxAnswer;
		this.failure = failure;
		this.rewrite = rewrite;
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
			return Flux.from(body).take(0).then(notRewritten(unexpected.get()));
		}
		return BoundedBody.read(body, this.maxAnswer)
			.flatMap(this::writeRewritten)
			.onErrorResume(DataBufferLimitException.class,
					(ex) -> notRewritten("answer larger than " + this.maxAnswer + " bytes"));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return writeWith(Flux.from(body).concatMap(Flux::from));
	}

	private Mono<Void> writeRewritten(byte[] answer) {
		byte[] rewritten;
		try {
			rewritten = this.rewrite.apply(answer);
		}
		catch (IllegalArgumentException ex) {
			return notRewritten(ex.getMessage());
		}
		getHeaders().remove(HttpHeaders.TRANSFER_ENCODING);
		getHeaders().setContentLength(rewritten.length);
		return super.writeWith(Mono.fromSupplier(() -> bufferFactory().wrap(rewritten)));
	}

	/** Why an answer cannot be rewritten from its headers alone, if it cannot. */
	public static Optional<String> unexpected(HttpHeaders headers) {
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

	private Mono<Void> notRewritten(String why) {
		return replaceBy502(this.exchange, getDelegate(), this.failure + ": " + why);
	}

	/**
	 * Replaces the socket's answer, none of which was sent, by a 502.
	 * @param answer the response the socket's headers were copied to
	 * @param reason the refusal's reason
	 */
	public static Mono<Void> replaceBy502(ServerWebExchange exchange, ServerHttpResponse answer, String reason) {
		answer.getHeaders().clear();
		return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_GATEWAY, reason));
	}

}
