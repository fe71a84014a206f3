package dev.socketproxy.scope;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestTarget;

/**
 * The per-id half of the object scopes: for a client whose scope is limited, finds the
 * object a per-id request names ({@link ObjectPath}, {@link EngineObjects}) and refuses
 * it or forwards it naming the object by its full ID ({@link ObjectDecision}). The
 * rewritten request replaces the client's for everything after, the upgrade tunnel of
 * exec start and attach included, and its {@code rewritten request} line says what the
 * socket receives. Scopes are enforced in report-only mode too.
 */
public class ObjectScopeFilter implements GlobalFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ObjectScopeFilter.class);

	private final EngineObjects objects;

	public ObjectScopeFilter(EngineObjects objects) {
		this.objects = objects;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || !client.scope().limited()) {
			return chain.filter(exchange);
		}
		String method = exchange.getRequest().getMethod().name();
		Optional<ObjectPath> named = ObjectPath.of(method, target);
		if (named.isEmpty() || !ObjectDecision.decides(client.scope(), named.get().kind())) {
			return chain.filter(exchange);
		}
		ObjectPath path = named.get();
		if (!path.wellFormed()) {
			return DenialResponse.send(exchange, ObjectDecision.notFound(path.kind(), path.reference()));
		}
		return this.objects.find(path.kind(), path.reference())
			.map((found) -> ObjectDecision.decide(client.scope(), method, path, found))
			.onErrorResume((ex) -> {
				logger.atWarn()
					.addKeyValue("kind", path.kind())
					.addKeyValue("error", String.valueOf(ex.getMessage()))
					.log("object lookup failed");
				return Mono.just(new ObjectDecision(ObjectDecision.lookupFailed(path.kind()), null));
			})
			.flatMap((decision) -> {
				if (decision.refusal() != null) {
					return DenialResponse.send(exchange, decision.refusal());
				}
				String rawPath = (decision.id() != null) ? path.rawPathWith(decision.id()) : target.rawPath();
				if (rawPath.equals(target.rawPath())) {
					return chain.filter(exchange);
				}
				return chain.filter(RewrittenRequest.path(exchange, rawPath));
			});
	}

	@Override
	public int getOrder() {
		return GatewayExchange.OBJECT_SCOPE;
	}

}
