package dev.socketproxy.access;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

/**
 * Chooses the rules a TCP peer is judged by: those of a {@link DynamicClientRules} client
 * (a labelled container) first, then those of the first profile whose clients fit, then
 * the default rules if the peer is in {@code allow-from}; none means the peer may not
 * connect. Hostnames are resolved only when the IP ranges before them did not decide.
 */
public final class ClientSelector {

	private final ActivePolicy policy;

	private final HostnameAddresses hostnameAddresses;

	private final Optional<DynamicClientRules> dynamic;

	public ClientSelector(ActivePolicy policy, HostnameAddresses hostnameAddresses,
			Optional<DynamicClientRules> dynamic) {
		this.policy = policy;
		this.hostnameAddresses = hostnameAddresses;
		this.dynamic = dynamic;
	}

	public Mono<Optional<ClientRules>> select(InetAddress peer) {
		List<AccessPolicy.Candidate> candidates = this.policy.current().candidates();
		if (this.dynamic.isEmpty()) {
			return configured(candidates, 0, peer);
		}
		return this.dynamic.get()
			.find(peer)
			.flatMap((found) -> found.isPresent() ? Mono.just(found) : configured(candidates, 0, peer));
	}

	/**
	 * The rules for this peer if the configured candidates decide them without any lookup:
	 * no dynamic clients to ask, and a candidate fits before the first one with hostnames.
	 * Empty means {@link #select} has to decide (it may also refuse).
	 */
	public Optional<ClientRules> selectWithoutLookup(InetAddress peer) {
		if (this.dynamic.isPresent()) {
			return Optional.empty();
		}
		for (AccessPolicy.Candidate candidate : this.policy.current().candidates()) {
			if (candidate.clients().containsAddress(peer)) {
				return Optional.of(candidate.rules());
			}
			if (!candidate.clients().hostnames().isEmpty()) {
				return Optional.empty();
			}
		}
		return Optional.empty();
	}

	/** Synchronous until a candidate's hostnames need resolving, which most requests never reach. */
	private Mono<Optional<ClientRules>> configured(List<AccessPolicy.Candidate> candidates, int from, InetAddress peer) {
		for (int i = from; i < candidates.size(); i++) {
			AccessPolicy.Candidate candidate = candidates.get(i);
			if (candidate.clients().containsAddress(peer)) {
				return Mono.just(Optional.of(candidate.rules()));
			}
			if (!candidate.clients().hostnames().isEmpty()) {
				int next = i + 1;
				return this.hostnameAddresses.anyResolvesTo(candidate.clients().hostnames(), peer)
					.flatMap((fits) -> fits ? Mono.just(Optional.of(candidate.rules())) : configured(candidates, next, peer));
			}
		}
		return Mono.just(Optional.empty());
	}

}
