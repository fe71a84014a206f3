package dev.socketproxy.scope;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.EnginePath;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.RewrittenResponse;
import dev.socketproxy.labels.DockerEngine;

/**
 * The list half of {@code visible-containers}, for clients whose scope limits the
 * containers they see: the answer of {@code GET /containers/json} is read whole (up to
 * {@value #MAX_ANSWER} bytes, else 502) and passed on with the visible containers only;
 * the event stream of {@code GET /events} is passed on line by line, without the events
 * of other containers ({@link VisibleContainers}); and {@code POST /containers/prune},
 * which would remove stopped containers the client cannot see, is refused with 403.
 * An owner alone filters nothing here: its filter is merged into the query instead.
 */
public class VisibleContainersFilter implements GlobalFilter, Ordered {

	/** Larger than the container list of any real engine. */
	static final int MAX_ANSWER = 16 * 1024 * 1024;

	private static final Pattern LIST = EnginePath.pattern("/containers/json");

	private static final Pattern EVENTS = EnginePath.pattern("/events");

	private static final Pattern PRUNE = EnginePath.pattern("/containers/prune");

	static final Denial PRUNE_REFUSED = Denial.engineError(HttpStatus.FORBIDDEN, "not visible: containers prune",
			"not visible: the container prune would reach containers outside visible-containers");

	/** The media types the engine's event stream comes as: by default JSON, on request a JSON-lines type. */
	private static final Set<String> JSON_LINES = Set.of("application/json", "application/x-ndjson", "application/jsonl");

	private final EngineObjects objects;

	public VisibleContainersFilter(EngineObjects objects) {
		this.objects = objects;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || !client.scope().limitsVisibility()) {
			return chain.filter(exchange);
		}
		HttpMethod method = exchange.getRequest().getMethod();
		VisibleContainers visible = new VisibleContainers(client.scope(), this.objects);
		if (method == HttpMethod.POST && PRUNE.matcher(target.path()).matches()) {
			return DenialResponse.send(exchange, PRUNE_REFUSED);
		}
		if (method != HttpMethod.GET) {
			return chain.filter(exchange);
		}
		if (LIST.matcher(target.path()).matches()) {
			return chain.filter(exchange.mutate()
				.response(new RewrittenResponse(exchange, MAX_ANSWER, "response not filtered", visible::list))
				.build());
		}
		if (EVENTS.matcher(target.path()).matches()) {
			return chain.filter(exchange.mutate().response(new VisibleEventStream(exchange, visible)).build());
		}
		return chain.filter(exchange);
	}

	@Override
	public int getOrder() {
		return GatewayExchange.VISIBLE_CONTAINERS;
	}

	/**
	 * The event stream, one JSON object a line, less the lines that may not pass; each line
	 * is written as it is decided, so the stream stays live. A line over the event reader's
	 * bound ends the stream, as it cannot be judged.
	 */
	private static final class VisibleEventStream extends ServerHttpResponseDecorator {

		private final ServerWebExchange exchange;

		private final VisibleContainers visible;

		VisibleEventStream(ServerWebExchange exchange, VisibleContainers visible) {
			super(exchange.getResponse());
			this.exchange = exchange;
			this.visible = visible;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return writeAndFlushWith(Flux.from(body).map(Mono::just));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			HttpStatusCode status = getStatusCode();
			Flux<DataBuffer> chunks = Flux.from(body).concatMap(Flux::from);
			if (status == null || !status.is2xxSuccessful()) {
				return super.writeWith(chunks);
			}
			Optional<String> unexpected = unexpected(getHeaders());
			if (unexpected.isPresent()) {
				// Taking nothing cancels the answer, and the gateway closes its connection to the socket.
				return chunks.take(0)
					.then(RewrittenResponse.replaceBy502(this.exchange, getDelegate(), "response not filtered: " + unexpected.get()));
			}
			// The filtered stream's length is not known before its end.
			getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
			getHeaders().set(HttpHeaders.TRANSFER_ENCODING, "chunked");
			return super.writeAndFlushWith(DockerEngine.jsonLines(chunks)
				.concatMap((line) -> this.visible.shows(line).filter(Boolean::booleanValue).map((shown) -> line))
				.map((line) -> Mono.fromSupplier(
						() -> bufferFactory().wrap((line + "\n").getBytes(StandardCharsets.UTF_8)))));
		}

		/** Why the stream cannot be filtered, if it cannot: the engine sends JSON lines, however it names them. */
		private static Optional<String> unexpected(HttpHeaders headers) {
			String encoding = headers.getFirst(HttpHeaders.CONTENT_ENCODING);
			if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
				return Optional.of("encoded answer");
			}
			String type = Objects.toString(headers.getFirst(HttpHeaders.CONTENT_TYPE), "");
			int semicolon = type.indexOf(';');
			String mediaType = ((semicolon >= 0) ? type.substring(0, semicolon) : type).strip().toLowerCase(Locale.ROOT);
			return JSON_LINES.contains(mediaType) ? Optional.empty() : Optional.of("answer not JSON");
		}

	}

}
