package dev.socketproxy.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The part of the configuration that decides which requests pass, and the only part a
 * rules file may hold and a reload may change: the default rules (for clients in
 * {@code allow-from}) and the per-client profiles, tried in order before them.
 *
 * @param allow per HTTP method, regexes that an allowed path must match
 * @param allowBindMountFrom directories bind-mount sources must lie in
 * @param profiles named client groups with rules of their own; the first whose
 * {@code clients} fit the TCP peer judges the request
 * @param redactEnv whether environment values and config data are removed from inspect answers
 * @param allowImages anchored regexes one of which every image a request names must match
 * @param refuseLatest whether images tagged {@code latest}, or not tagged at all, are refused
 */
public record AccessRules(Map<String, List<String>> allow, List<String> allowBindMountFrom,
		@DefaultValue List<Profile> profiles, boolean redactEnv, List<String> allowImages, boolean refuseLatest) {

	/**
	 * The HTTP methods {@code allow} may hold rules for, in the reference proxy's order;
	 * method rules, label rules, learned rules and the metrics' method tag use the same.
	 */
	public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT",
			"TRACE", "OPTIONS");

	public AccessRules {
		allow = normalizeMethods(allow);
		allowBindMountFrom = directories("allow-bind-mount-from", allowBindMountFrom);
		allowImages = (allowImages != null) ? List.copyOf(allowImages) : List.of();
		profiles = (profiles != null) ? List.copyOf(profiles) : List.of();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < profiles.size(); i++) {
			String name = profiles.get(i).name();
			if (!names.add(name)) {
				throw new InvalidConfigurationException("socketproxy.profiles[" + i + "].name", name,
						"another profile has this name");
			}
		}
	}


	/**
	 * One client group and its rules.
	 *
	 * @param name shown in logs and the startup table, e.g. {@code traefik}
	 * @param clients CIDRs, IPs and hostnames of the TCP peers this profile applies to
	 * @param allow per HTTP method, regexes that an allowed path must match
	 * @param allowBindMountFrom directories bind-mount sources must lie in
	 * @param redactEnv whether environment values and config data are removed from inspect answers
	 * @param allowImages anchored regexes one of which every image a request names must match
	 * @param refuseLatest whether images tagged {@code latest}, or not tagged at all, are refused
	 */
	public record Profile(String name, List<String> clients, Map<String, List<String>> allow,
			List<String> allowBindMountFrom, boolean redactEnv, List<String> allowImages, boolean refuseLatest) {

			public Profile {
			if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
				throw new InvalidConfigurationException("socketproxy.profiles[].name", name,
						"each profile needs a name of letters, digits, '.', '_' or '-'");
			}
			if (clients == null || clients.isEmpty()) {
				throw new InvalidConfigurationException("socketproxy.profiles[" + name + "].clients", "",
						"each profile needs at least one client CIDR, IP or hostname");
			}
			clients = List.copyOf(clients);
			allow = normalizeMethods(allow);
			allowBindMountFrom = directories("profiles[" + name + "].allow-bind-mount-from", allowBindMountFrom);
			allowImages = (allowImages != null) ? List.copyOf(allowImages) : List.of();
		}

	}

	static Map<String, List<String>> normalizeMethods(Map<String, List<String>> allow) {
		Map<String, List<String>> byMethod = new TreeMap<>();
		if (allow != null) {
			allow.forEach((method, rules) -> byMethod.put(method.toUpperCase(Locale.ROOT),
					(rules != null) ? List.copyOf(rules) : List.of()));
		}
		return Map.copyOf(byMethod);
	}

	private static List<String> directories(String key, List<String> directories) {
		if (directories == null) {
			return List.of();
		}
		List<String> trimmed = directories.stream().map(String::trim).toList();
		for (String directory : trimmed) {
			if (!directory.startsWith("/") || directory.contains(",")) {
				throw new InvalidConfigurationException("socketproxy." + key, directory,
						"each entry must be an absolute directory such as /srv/data");
			}
		}
		return trimmed;
	}

}
