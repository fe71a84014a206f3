package dev.socketproxy.access.body;

import java.util.Optional;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.RequestRulesFilter;
import dev.socketproxy.access.RequestTarget;

/**
 * Last access decision, for allowed requests to the endpoints in {@link InspectedEndpoint}
 * while the bind-mount restriction or the container policy is on: reads the body, up to a
 * limit and without blocking, judges it, and forwards exactly the bytes it judged.
 */
public class RequestBodyFilter implements GlobalFilter, Ordered {

	/** Right after the rules, before anything that forwards. */
	public static final int ORDER = RequestRulesFilter.ORDER + 10;

	private final BindMountPolicy bindMounts;

	private final ContainerPolicyChecks containerPolicy;

	private final int maxBody;

	public RequestBodyFilter(BindMountPolicy bindMounts, ContainerPolicyChecks containerPolicy, int maxBody) {
		this.bindMounts = bindMounts;
		this.containerPolicy = containerPolicy;
		this.maxBody = maxBody;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		RequestTarget target = exchange.getAttribute(RequestTarget.ATTRIBUTE);
		Optional<InspectedEndpoint> endpoint = (target != null)
				? InspectedEndpoint.of(request.getMethod().name(), target.path()) : Optional.empty();
		if (endpoint.isEmpty() || !(this.bindMounts.enabled() || this.containerPolicy.enabled())) {
			return chain.filter(exchange);
		}
		String encoding = request.getHeaders().getFirst("Content-Encoding");
		if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "encoded body not inspected"));
		}
		if (request.getHeaders().getContentLength() > this.maxBody) {
			return DenialResponse.send(exchange, tooLarge());
		}
		return DataBufferUtils.join(request.getBody(), this.maxBody)
			.map(RequestBodyFilter::bytes)
			.defaultIfEmpty(new byte[0])
			.flatMap((body) -> judge(exchange, chain, endpoint.get(), body))
			.onErrorResume(DataBufferLimitException.class, (ex) -> DenialResponse.send(exchange, tooLarge()));
	}

	private Mono<Void> judge(ServerWebExchange exchange, GatewayFilterChain chain, InspectedEndpoint endpoint,
			byte[] body) {
		Optional<Denial> denial;
		try {
			Object json = (body.length == 0) ? null : EngineJson.parse(body);
			denial = this.bindMounts.violation(endpoint, json)
				.map((violation) -> Denial.explained(HttpStatus.FORBIDDEN, "bind mount restriction: " + violation))
				.or(() -> this.containerPolicy.violation(endpoint, json)
					.map((violation) -> Denial.explained(HttpStatus.FORBIDDEN, "container policy: " + violation)));
		}
		catch (InvalidBodyException ex) {
			denial = Optional.of(Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		if (denial.isPresent()) {
			return DenialResponse.send(exchange, denial.get());
		}
		ServerHttpRequest judged = new ServerHttpRequestDecorator(exchange.getRequest()) {
			@Override
			public Flux<DataBuffer> getBody() {
				return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
			}
		};
		return chain.filter(exchange.mutate().request(judged).build());
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	private Denial tooLarge() {
		return Denial.explained(HttpStatus.CONTENT_TOO_LARGE, "body larger than " + this.maxBody + " bytes");
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
