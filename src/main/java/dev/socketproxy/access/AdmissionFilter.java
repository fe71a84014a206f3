package dev.socketproxy.access;

import java.net.URI;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Carries out the {@link Admission}'s verdict on a request that reached the gateway:
 * records it in the exchange ({@link GatewayExchange#verdict}), then answers a refusal,
 * forwards a report-only finding after its "would block" line, or forwards an allowed
 * request after its {@link RequestRecorder#allowed} line.
 */
public class AdmissionFilter implements GlobalFilter, Ordered {

	private final Admission admission;

	private final RequestRecorder recorder;

	private final HeadReader heads;

	/** Judges the head as Reactor Netty received it. */
	public AdmissionFilter(Admission admission, RequestRecorder recorder) {
		this(admission, recorder, AdmissionFilter::receivedHead);
	}

	AdmissionFilter(Admission admission, RequestRecorder recorder, HeadReader heads) {
		this.admission = admission;
		this.recorder = recorder;
		this.heads = heads;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return this.admission.judge(this.heads.read(exchange.getRequest()))
			.flatMap((verdict) -> carryOut(exchange, chain, verdict));
	}

	private Mono<Void> carryOut(ServerWebExchange exchange, GatewayFilterChain chain, Admission.Verdict verdict) {
		GatewayExchange.putVerdict(exchange, verdict);
		return switch (verdict.decision()) {
			case ALLOWED -> {
				ServerHttpRequest request = exchange.getRequest();
				this.recorder.allowed(request.getMethod().name(), verdict, request.getRemoteAddress());
				yield chain.filter(exchange);
			}
			case REPORTED -> RuleEnforcement.report(exchange, chain, verdict.denial());
			case REFUSED -> DenialResponse.send(exchange, verdict.denial());
		};
	}

	/**
	 * The request line's target and the headers exactly as Netty decoded them, not the
	 * parsed forms Spring offers, with the URI the gateway will forward.
	 */
	private static RequestHead receivedHead(ServerHttpRequest request) {
		HttpServerRequest received = ServerHttpRequestDecorator.getNativeRequest(request);
		return new RequestHead(request.getMethod().name(), received.uri(), received.requestHeaders(),
				request.getRemoteAddress(), routed(request.getURI()));
	}

	/**
	 * The URI the gateway's routing sends to the socket for a request's URI: its
	 * {@code RouteToRequestUrlFilter} rebuilds it with Spring's {@code UriComponentsBuilder},
	 * which reads the query as name-value pairs and writes them back, so a pair {@code =x}
	 * becomes a key {@code x}, and a query with a {@code %} whose value holds a {@code =}
	 * is encoded again ({@link RequestHead#forwards} refuses both).
	 */
	static URI routed(URI uri) {
		try {
			return UriComponentsBuilder.fromUri(uri).build(ServerWebExchangeUtils.containsEncodedParts(uri)).toUri();
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// The routing fails the same way, forwarding nothing; a target that is not canonical is refused first.
			return uri;
		}
	}

	@Override
	public int getOrder() {
		return GatewayExchange.ADMISSION;
	}

	/** Where the head to judge comes from; a seam for tests, whose mock requests have no Netty request. */
	@FunctionalInterface
	interface HeadReader {

		RequestHead read(ServerHttpRequest request);

	}

}
