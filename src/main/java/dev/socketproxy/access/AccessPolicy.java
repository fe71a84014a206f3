package dev.socketproxy.access;

import java.util.ArrayList;
import java.util.List;

import dev.socketproxy.config.AccessRules;

/**
 * One compiled, immutable set of access rules: the profiles in their configured order,
 * then the default rules for {@code allow-from}. A reload builds a new policy and swaps
 * it in whole, so a request is judged by one policy from start to end.
 */
public final class AccessPolicy {

	private final List<Candidate> candidates;

	private AccessPolicy(List<Candidate> candidates) {
		this.candidates = List.copyOf(candidates);
	}

	/**
	 * Compiles the rules.
	 * @param labelPrefix the docker label prefix, which the owner label starts with
	 * @throws dev.socketproxy.config.InvalidConfigurationException for a client entry or a
	 * rule that does not parse, naming its key
	 */
	public static AccessPolicy compile(List<String> allowFrom, AccessRules rules, String labelPrefix) {
		List<Candidate> candidates = new ArrayList<>();
		for (AccessRules.Profile profile : rules.profiles()) {
			String key = "socketproxy.profiles[" + profile.name() + "]";
			candidates.add(new Candidate(ClientAllowlist.parse(key + ".clients", profile.clients()),
					new ClientRules(profile.name(), MethodRules.compile(key + ".allow", profile.allow()),
							new BindMountPolicy(profile.allowBindMountFrom()),
							ImagePolicy.compile(key + ".allow-images", profile.allowImages(), profile.refuseLatest()),
							profile.redactEnv(),
							ObjectScope.compile(key, labelPrefix, profile.owner(), profile.visibleContainers()))));
		}
		candidates.add(new Candidate(ClientAllowlist.parse("socketproxy.allow-from", allowFrom),
				new ClientRules(ClientRules.DEFAULT_NAME, MethodRules.compile("socketproxy.allow", rules.allow()),
						new BindMountPolicy(rules.allowBindMountFrom()),
						ImagePolicy.compile("socketproxy.allow-images", rules.allowImages(), rules.refuseLatest()),
						rules.redactEnv(),
						ObjectScope.compile("socketproxy", labelPrefix, rules.owner(), rules.visibleContainers()))));
		return new AccessPolicy(candidates);
	}

	/** The profiles in order, the default rules last: the first whose clients fit the peer judges. */
	public List<Candidate> candidates() {
		return this.candidates;
	}

	/** The rules for clients in {@code allow-from}, and for every client of the Unix-socket listener. */
	public ClientRules defaults() {
		return this.candidates.get(this.candidates.size() - 1).rules();
	}

	/**
	 * Clients and the rules they get.
	 *
	 * @param clients which peers the rules apply to
	 * @param rules the rules
	 */
	public record Candidate(ClientAllowlist clients, ClientRules rules) {
	}

}
