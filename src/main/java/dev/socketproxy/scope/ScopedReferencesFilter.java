package dev.socketproxy.scope;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.EnginePath;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.JudgedBody;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.body.EngineForm;
import dev.socketproxy.access.body.InspectedEndpoint;
import dev.socketproxy.scope.ObjectReferences.Reference;

/**
 * For a client with a limited scope, the objects a request names outside its path
 * ({@link ObjectReferences}, and the {@code container} query parameter of
 * {@code POST /commit}) are judged as {@link ObjectDecision} judges the object in the path:
 * a container outside {@code visible-containers} is 404 {@code No such container}, as if it
 * did not exist; an object not the owner's is 403 {@code not owned: <kind> <ref>}, except an
 * image without an owner label, which every owner may use (a pulled one). A reference the
 * engine does not know is left to the engine, which answers 404; one that could not be
 * looked up is never forwarded (502). Always enforced, report-only mode or not.
 */
public class ScopedReferencesFilter implements GlobalFilter, Ordered {

	private static final Pattern COMMIT = EnginePath.pattern("/commit");

	/** The endpoints whose body names objects besides the one in the path. */
	private static final Set<InspectedEndpoint> NAMING = EnumSet.of(InspectedEndpoint.CONTAINER_CREATE,
			InspectedEndpoint.CONTAINER_START, InspectedEndpoint.NETWORK_CREATE, InspectedEndpoint.NETWORK_CONNECT);

	private final EngineObjects objects;

	public ScopedReferencesFilter(EngineObjects objects) {
		this.objects = objects;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || !client.scope().limited()
				|| exchange.getRequest().getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		boolean commit = COMMIT.matcher(target.path()).matches();
		if (commit && EngineForm.hasFormBody(exchange.getRequest().getHeaders())) {
			return DenialResponse.send(exchange, EngineForm.FORM_BODY);
		}
		List<Reference> references;
		try {
			references = commit ? committed(target) : named(exchange, target);
		}
		catch (IllegalArgumentException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		return Flux.fromIterable(references)
			.concatMap((reference) -> denial(client.scope(), reference))
			.next()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((denial) -> denial.isPresent() ? DenialResponse.send(exchange, denial.get()) : chain.filter(exchange));
	}

	/** The refusal a reference earns, if any; none for one unknown to the engine. */
	private Mono<Denial> denial(ObjectScope scope, Reference reference) {
		return this.objects.find(reference.kind(), reference.name())
			.flatMap((found) -> Mono.justOrEmpty(found.flatMap((object) -> denial(scope, reference, object))))
			.onErrorResume((ex) -> Mono.just(ObjectDecision.lookupFailed(reference.kind())));
	}

	private static Optional<Denial> denial(ObjectScope scope, Reference reference, EngineObject object) {
		if (object.kind() == EngineObject.Kind.CONTAINER && !scope.shows(object.names(), object.labels())) {
			return Optional.of(ObjectDecision.notVisible(reference.kind(), reference.name()));
		}
		if (scope.owns(object.labels())
				|| object.kind() == EngineObject.Kind.IMAGE && !object.labels().containsKey(scope.ownerLabel())) {
			return Optional.empty();
		}
		return Optional.of(ObjectDecision.notOwned(reference.kind(), reference.name()));
	}

	/** The container a commit's query names. */
	private static List<Reference> committed(RequestTarget target) {
		Map<String, List<String>> form = EngineForm.parse(target.rawQuery(), List.of("container"));
		String container = EngineForm.first(form, "container");
		return container.isEmpty() ? List.of() : List.of(new Reference(EngineObject.Kind.CONTAINER, container));
	}

	/** What the request's body names besides the object in its path. */
	private static List<Reference> named(ServerWebExchange exchange, RequestTarget target) {
		Optional<InspectedEndpoint> endpoint = InspectedEndpoint.of("POST", target.path());
		if (endpoint.isEmpty() || !NAMING.contains(endpoint.get())) {
			return List.of();
		}
		JudgedBody body = GatewayExchange.body(exchange);
		if (body == null) {
			// The body decision reads every body an owner scope judges; this is not one it read.
			throw new IllegalArgumentException("request not checked: body not read");
		}
		return switch (endpoint.get()) {
			case NETWORK_CREATE -> ObjectReferences.networkCreate(body.json());
			case NETWORK_CONNECT -> ObjectReferences.networkConnect(body.json());
			default -> ObjectReferences.container(body.json());
		};
	}

	@Override
	public int getOrder() {
		return GatewayExchange.SCOPED_REFERENCES;
	}

}
