package dev.socketproxy.scope;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.JudgedBody;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.body.EngineJson;
import dev.socketproxy.config.AccessRules;

/** Exchanges of an owner-scoped client as the admission and the body decision leave them, for the scope filters. */
final class ScopedExchanges {

	static final ObjectScope TENANT_A = ObjectScope.compile("k", "socket-proxy", "tenant-a", AccessRules.VisibleContainers.ALL);

	static final ClientRules OWNED = rules(TENANT_A);

	static final ClientRules UNSCOPED = rules(ObjectScope.NONE);

	private ScopedExchanges() {
	}

	static ClientRules rules(ObjectScope scope) {
		return new ClientRules("ci", MethodRules.compile(Map.of("GET", List.of(".*"), "POST", List.of(".*"))),
				new BindMountPolicy(List.of()), ImagePolicy.compile("k", List.of(), false), false, scope);
	}

	/** An allowed request; {@code body} is also handed on as judged when not {@code null}. */
	static MockServerWebExchange exchange(ClientRules rules, HttpMethod method, String target, String contentType,
			String body) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, URI.create(target));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return judged(MockServerWebExchange.from(request), rules, target, body);
	}

	/** The exchange as the admission (and with a {@code body}, the body decision) leave it. */
	static MockServerWebExchange judged(MockServerWebExchange exchange, ClientRules rules, String target, String body) {
		GatewayExchange.putVerdict(exchange,
				new Admission.Verdict(Admission.Decision.ALLOWED, rules, RequestTarget.parse(target), null));
		if (body != null) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			GatewayExchange.putBody(exchange, new JudgedBody(bytes, body.isEmpty() ? null : EngineJson.parse(bytes)));
		}
		return exchange;
	}

	/** Runs the filter; the request it forwarded, or {@code null} if it forwarded none. */
	static Forwarded run(GlobalFilter filter, ServerWebExchange exchange) {
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();
		GatewayFilterChain chain = (next) -> {
			forwarded.set(next);
			return Mono.empty();
		};
		filter.filter(exchange, chain).block();
		return (forwarded.get() != null) ? new Forwarded(forwarded.get()) : null;
	}

	/** What a filter forwarded. */
	record Forwarded(ServerWebExchange exchange) {

		String target() {
			String query = this.exchange.getRequest().getURI().getRawQuery();
			return this.exchange.getRequest().getURI().getRawPath() + ((query != null) ? "?" + query : "");
		}

		String body() {
			return DataBufferUtils.join(this.exchange.getRequest().getBody())
				.map((buffer) -> buffer.toString(StandardCharsets.UTF_8))
				.defaultIfEmpty("")
				.block();
		}

	}

}
