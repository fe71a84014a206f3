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
 * @param owner the tenant whose objects alone these clients see and touch; {@code null} for none
 * @param visibleContainers the containers these clients may see; all when empty
 */
public record AccessRules(Map<String, List<String>> allow, List<String> allowBindMountFrom,
		@DefaultValue List<Profile> profiles, boolean redactEnv, List<String> allowImages, boolean refuseLatest,
		String owner, @DefaultValue VisibleContainers visibleContainers) {

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
		owner = validOwner("socketproxy.owner", owner);
		visibleContainers = (visibleContainers != null) ? visibleContainers : VisibleContainers.ALL;
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
	 * @param owner the tenant whose objects alone these clients see and touch; {@code null} for none
	 * @param visibleContainers the containers these clients may see; all when empty
	 */
	public record Profile(String name, List<String> clients, Map<String, List<String>> allow,
			List<String> allowBindMountFrom, boolean redactEnv, List<String> allowImages, boolean refuseLatest,
			String owner, @DefaultValue VisibleContainers visibleContainers) {

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
			owner = validOwner("socketproxy.profiles[" + name + "].owner", owner);
			visibleContainers = (visibleContainers != null) ? visibleContainers : VisibleContainers.ALL;
		}

	}

	/**
	 * The containers a client may see: one of whose names matches one of {@code names}, or
	 * that carries one of {@code labels}. A container outside them does not exist for the
	 * client. Both empty: every container.
	 *
	 * @param names anchored RE2 patterns for a container's name, without Docker's leading {@code /}
	 * @param labels {@code key} (the label is set) or {@code key=value} (set to exactly this)
	 */
	public record VisibleContainers(List<String> names, List<String> labels) {

		/** No restriction. */
		public static final VisibleContainers ALL = new VisibleContainers(List.of(), List.of());

		public VisibleContainers {
			names = (names != null) ? List.copyOf(names) : List.of();
			labels = (labels != null) ? List.copyOf(labels) : List.of();
			for (String label : labels) {
				if (label == null || label.isEmpty() || label.startsWith("=")) {
					throw new InvalidConfigurationException("socketproxy.visible-containers.labels", label,
							"each entry must be a label key, or key=value");
				}
			}
		}

		/** Whether some containers are hidden. */
		public boolean limited() {
			return !this.names.isEmpty() || !this.labels.isEmpty();
		}

	}

	private static String validOwner(String key, String owner) {
		if (owner == null || owner.isBlank()) {
			return null;
		}
		if (!owner.matches("[A-Za-z0-9_.-]{1,128}")) {
			throw new InvalidConfigurationException(key, owner,
					"an owner is 1 to 128 letters, digits, '.', '_' or '-', such as ci-runner-1");
		}
		return owner;
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
