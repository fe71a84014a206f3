package dev.socketproxy.access;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a policy as a table an operator can read at a glance: for each profile in the order
 * they are tried, then the default rules, its clients and one line per rule.
 */
public final class PolicyTable {

	private static final Logger logger = LoggerFactory.getLogger(PolicyTable.class);

	private PolicyTable() {
	}

	/**
	 * @param clientsApply whether client matching applies (not on the Unix-socket
	 * listener, where only the default rules are used)
	 */
	public static void log(AccessPolicy policy, boolean clientsApply) {
		List<AccessPolicy.Candidate> candidates = clientsApply ? policy.candidates()
				: List.of(policy.candidates().get(policy.candidates().size() - 1));
		for (AccessPolicy.Candidate candidate : candidates) {
			ClientRules rules = candidate.rules();
			Map<String, List<String>> table = rules.rules().table();
			logger.atInfo()
				.addKeyValue("rules", rules.name())
				.addKeyValue("clients", clientsApply ? candidate.clients() : "n/a (unix socket)")
				.addKeyValue("allowBindMountFrom", rules.bindMounts())
				.addKeyValue("allowImages", rules.images())
				.addKeyValue("redactEnv", rules.redactEnv())
				.addKeyValue("scope", rules.scope())
				.log((table.isEmpty()) ? "client rules: none, the rules refuse every request of these clients" : "client rules");
			table.forEach((method, patterns) -> patterns.forEach((pattern) -> logger.atInfo()
				.addKeyValue("rules", rules.name())
				.addKeyValue("method", method)
				.addKeyValue("rule", pattern)
				.log("allow")));
		}
	}

}
