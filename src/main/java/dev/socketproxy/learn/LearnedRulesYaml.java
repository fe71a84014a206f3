package dev.socketproxy.learn;

import java.util.List;
import java.util.Map;

import dev.socketproxy.config.ConfigurationYaml;
import dev.socketproxy.learn.LearnedTraffic.LearnedRules;

/**
 * Writes learned rules as configuration to paste: one profile per TCP client, named
 * after its address, and the plain {@code socketproxy.allow} rules for clients of the
 * Unix-socket listener, which has no client address to match. Regexes are single-quoted,
 * so YAML keeps their backslashes as they are.
 */
final class LearnedRulesYaml {

	/** The client key of requests that came in over the Unix-socket listener. */
	static final String UNIX_CLIENT = "unix";

	private LearnedRulesYaml() {
	}

	static String render(Map<String, LearnedRules> rules) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("# Learned by socket-proxy in learn mode: review before use; each rule allows what a\n")
			.append("# recorded request needed, with IDs, names and the API version generalised.\n")
			.append("socketproxy:\n");
		LearnedRules unix = rules.get(UNIX_CLIENT);
		if (unix != null) {
			notes(yaml, "  ", UNIX_CLIENT, unix);
			allow(yaml, "  ", unix.allow());
		}
		boolean profiles = false;
		for (Map.Entry<String, LearnedRules> entry : rules.entrySet()) {
			if (entry.getKey().equals(UNIX_CLIENT)) {
				continue;
			}
			if (!profiles) {
				yaml.append("  profiles:\n");
				profiles = true;
			}
			notes(yaml, "    ", entry.getKey(), entry.getValue());
			yaml.append("    - name: ").append(profileName(entry.getKey())).append('\n');
			yaml.append("      clients: [").append(ConfigurationYaml.quote(entry.getKey())).append("]\n");
			allow(yaml, "      ", entry.getValue().allow());
		}
		return yaml.toString();
	}

	/** {@code learned-} and the address with every character but letters and digits as {@code -}. */
	static String profileName(String client) {
		return "learned-" + client.replaceAll("[^A-Za-z0-9]", "-");
	}

	private static void notes(StringBuilder yaml, String indent, String client, LearnedRules rules) {
		if (rules.droppedPatterns() > 0) {
			yaml.append(indent).append("# ").append(client).append(": ").append(rules.droppedPatterns())
				.append(" requests with new patterns not learned (too many patterns for one client)\n");
		}
		if (rules.unsupportedMethods() > 0) {
			yaml.append(indent).append("# ").append(client).append(": ").append(rules.unsupportedMethods())
				.append(" requests with a method no rule can name, not learned\n");
		}
	}

	private static void allow(StringBuilder yaml, String indent, Map<String, List<String>> allow) {
		if (allow.isEmpty()) {
			yaml.append(indent).append("allow: {}\n");
			return;
		}
		yaml.append(indent).append("allow:\n");
		allow.forEach((method, patterns) -> {
			yaml.append(indent).append("  ").append(method).append(":\n");
			patterns.forEach((pattern) -> yaml.append(indent).append("    - ").append(ConfigurationYaml.quote(pattern)).append('\n'));
		});
	}

}
