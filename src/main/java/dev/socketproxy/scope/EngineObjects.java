package dev.socketproxy.scope;

import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * Finds the object a request names, as the engine would resolve the same reference: a
 * full ID, a name, or (for containers, networks and images) a unique ID prefix.
 */
public interface EngineObjects {

	/**
	 * @param kind what the request's path says it names
	 * @param reference the reference exactly as in the (canonical) path
	 * @return the object, or empty if the engine knows no such object; an error if the
	 * engine could not be asked
	 */
	Mono<Optional<EngineObject>> find(EngineObject.Kind kind, String reference);

}
