package dev.socketproxy.access;

import java.net.InetAddress;
import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * Clients known only at run time, such as labelled containers, looked up by their exact
 * peer address. Asked before the configured profiles.
 */
public interface DynamicClientRules {

	/** The rules for this peer if it is such a client; may rescan; never signals an error. */
	Mono<Optional<ClientRules>> find(InetAddress peer);

}
