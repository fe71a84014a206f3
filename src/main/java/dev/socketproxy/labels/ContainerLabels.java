package dev.socketproxy.labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.config.AccessRules;
import dev.socketproxy.config.InvalidConfigurationException;

/**
 * Turns one container's labels into the rules it is judged by, as the reference reads
 * them: {@code <prefix>.allow.<method>[.<anything>]} is a path regex for that method
 * (method in any case), {@code <prefix>.allow.bindmountfrom} a comma list of absolute
 * directories. Labels with an empty value are ignored, as in the reference. Unlike the
 * reference, a label under {@code <prefix>.allow.} that names neither a method nor
 * {@code bindmountfrom} is an error: a typo such as {@code allow.gett} must not pass
 * unnoticed.
 */
public final class ContainerLabels {

	private static final String BIND_MOUNT_FROM = "BINDMOUNTFROM";

	private final String allowPrefix;

	private final Supplier<ClientRules> defaults;

	/**
	 * @param prefix the label prefix, {@code socket-proxy} by default
	 * @param defaults the default rules (as currently configured): their bind-mount
	 * restriction applies to a container that has no {@code bindmountfrom} label, their image
	 * restriction and {@code redact-env} to every labelled container, since no label sets them
	 */
	public ContainerLabels(String prefix, Supplier<ClientRules> defaults) {
		this.allowPrefix = prefix + ".allow.";
		this.defaults = defaults;
	}

	/**
	 * The container's rules, or empty if it carries no allow label at all.
	 * @throws InvalidConfigurationException naming the offending label and its value
	 */
	public Optional<ClientRules> rules(String containerName, Map<String, String> labels) {
		Map<String, List<String>> regexes = new LinkedHashMap<>();
		List<String> bindMountFrom = null;
		// Sorted, so that the index of a rule (and thus the table in the log) is stable.
		for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
			String name = label.getKey();
			String value = label.getValue();
			if (!name.startsWith(this.allowPrefix) || value == null || value.isEmpty()) {
				continue;
			}
			String spec = name.substring(this.allowPrefix.length()).toUpperCase(Locale.ROOT);
			int dot = spec.indexOf('.');
			String method = (dot >= 0) ? spec.substring(0, dot) : spec;
			if (AccessRules.METHODS.contains(method)) {
				// Checked alone, so that an error names its label rather than a position.
				MethodRules.requireValidRule(name, value);
				regexes.computeIfAbsent(method, (m) -> new ArrayList<>()).add(value);
			}
			else if (spec.equals(BIND_MOUNT_FROM)) {
				bindMountFrom = directories(name, value);
			}
			else {
				throw new InvalidConfigurationException(name, value,
						"unknown label; use " + this.allowPrefix + "<method>[.<n>] with one of "
								+ String.join(", ", AccessRules.METHODS) + ", or " + this.allowPrefix + "bindmountfrom");
			}
		}
		if (regexes.isEmpty() && bindMountFrom == null) {
			return Optional.empty();
		}
		MethodRules rules = MethodRules.compile(this.allowPrefix + "*", regexes);
		ClientRules defaults = this.defaults.get();
		return Optional.of(new ClientRules(containerName, rules,
				(bindMountFrom != null) ? new BindMountPolicy(bindMountFrom) : defaults.bindMounts(), defaults.images(),
				defaults.redactEnv(), defaults.scope()));
	}

	private static List<String> directories(String label, String value) {
		List<String> directories = new ArrayList<>();
		for (String entry : value.split(",")) {
			String directory = entry.trim();
			if (!directory.startsWith("/")) {
				throw new InvalidConfigurationException(label, value,
						"each entry must be an absolute directory such as /srv/data");
			}
			directories.add(directory);
		}
		return List.copyOf(directories);
	}

}
