package dev.socketproxy.access.body;

import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.BoundedBody;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.JudgedBody;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.RuleEnforcement;

/**
 * The access decision on bodies, for allowed requests to the endpoints in
 * {@link InspectedEndpoint} while the bind-mount restriction, the container policy, the
 * image restriction or an object scope is on: reads the body, up to a limit and without
 * blocking, judges it, and forwards exactly the bytes it judged, which it also hands on to
 * the scope filters ({@link GatewayExchange#body}). A body that fails while it is
 * read is {@link BodyFailureFilter}'s.
 */
public class RequestBodyFilter implements GlobalFilter, Ordered {

	private final ContainerPolicyChecks containerPolicy;

	private final RuleEnforcement enforcement;

	private final int maxBody;

	public RequestBodyFilter(ContainerPolicyChecks containerPolicy, RuleEnforcement enforcement, int maxBody) {
		this.containerPolicy = containerPolicy;
		this.enforcement = enforcement;
		this.maxBody = maxBody;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		Optional<InspectedEndpoint> endpoint = (target != null)
				? InspectedEndpoint.of(request.getMethod().name(), target.path()) : Optional.empty();
		if (client == null || endpoint.isEmpty() || !(client.bindMounts().enabled() || this.containerPolicy.enabled()
				|| client.images().enabled() || client.scope().limited())) {
			return chain.filter(exchange);
		}
		String encoding = request.getHeaders().getFirst("Content-Encoding");
		if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "encoded body not inspected"));
		}
		if (request.getHeaders().getContentLength() > this.maxBody) {
			return DenialResponse.send(exchange, tooLarge());
		}
		return BoundedBody.read(request, this.maxBody)
			.flatMap((body) -> judge(exchange, chain, client, endpoint.get(), body))
			.onErrorResume(DataBufferLimitException.class, (ex) -> DenialResponse.send(exchange, tooLarge()));
	}

	private Mono<Void> judge(ServerWebExchange exchange, GatewayFilterChain chain, ClientRules client,
			InspectedEndpoint endpoint, byte[] body) {
		Optional<Denial> denial;
		Object json;
		try {
			json = (body.length == 0) ? null : EngineJson.parse(body);
			denial = new BindMountChecks(client.bindMounts()).violation(endpoint, json)
				.map((violation) -> Denial.explained(HttpStatus.FORBIDDEN, "bind mount restriction: " + violation))
				.or(() -> this.containerPolicy.violation(endpoint, json)
					.map((violation) -> Denial.explained(HttpStatus.FORBIDDEN, "container policy: " + violation)))
				.or(() -> new ImageChecks(client.images()).violation(endpoint, json)
					.map((violation) -> Denial.explained(HttpStatus.FORBIDDEN, "image not allowed: " + violation)));
		}
		catch (InvalidBodyException ex) {
			return malformed(exchange, ex);
		}
		ServerWebExchange forwarded = exchange.mutate().request(judgedBody(exchange, body)).build();
		GatewayExchange.putBody(forwarded, new JudgedBody(body, json));
		if (denial.isPresent()) {
			return this.enforcement.refuse(forwarded, chain, denial.get());
		}
		return chain.filter(forwarded);
	}

	/** The request with the body bytes that were judged, since the original body is consumed. */
	private static ServerHttpRequest judgedBody(ServerWebExchange exchange, byte[] body) {
		return new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}
		};
	}

	private static Mono<Void> malformed(ServerWebExchange exchange, InvalidBodyException ex) {
		return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
	}

	private Denial tooLarge() {
		return Denial.explained(HttpStatus.CONTENT_TOO_LARGE, "body larger than " + this.maxBody + " bytes");
	}

	@Override
	public int getOrder() {
		return GatewayExchange.REQUEST_BODY;
	}

}
