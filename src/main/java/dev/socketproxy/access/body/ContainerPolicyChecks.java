package dev.socketproxy.access.body;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.socketproxy.config.SocketProxyProperties.ContainerPolicy;

/**
 * The container policy: host settings refused on container create, update and start (and
 * privileged execs) even when the rules allow the request, each behind its own switch. Settings are looked for
 * both in the {@code HostConfig} object and at the top level, where the engine also
 * accepts them.
 */
public final class ContainerPolicyChecks {

	/** The namespace modes that can name the host's namespace. */
	private static final List<String> NAMESPACE_MODES = List.of("PidMode", "IpcMode", "NetworkMode", "UTSMode",
			"UsernsMode", "CgroupnsMode");

	private final ContainerPolicy policy;

	private final Set<String> allowedCapabilities;

	public ContainerPolicyChecks(ContainerPolicy policy) {
		this.policy = policy;
		this.allowedCapabilities = policy.allowedCapabilities()
			.stream()
			.map(ContainerPolicyChecks::capability)
			.collect(Collectors.toUnmodifiableSet());
	}

	/** Whether any switch is on. */
	public boolean enabled() {
		return this.policy.enabled();
	}

	/** What the body asks for that the policy forbids, if anything. */
	public Optional<String> violation(InspectedEndpoint endpoint, Object body) {
		if (!enabled()) {
			return Optional.empty();
		}
		if (endpoint == InspectedEndpoint.CONTAINER_START && this.policy.refuseStartHostConfig() && body != null
				&& !JsonValues.object(body, "body").isEmpty()) {
			return Optional.of("start with a HostConfig body");
		}
		if (body == null) {
			return Optional.empty();
		}
		Map<String, Object> root = JsonValues.object(body, "body");
		if (endpoint == InspectedEndpoint.EXEC_CREATE) {
			return this.policy.refusePrivileged() ? privileged(root) : Optional.empty();
		}
		if (endpoint.describesService() && this.policy.restrictCapabilities()) {
			return capabilities(JsonValues.field(JsonValues.objectAt(root, "TaskTemplate", "ContainerSpec"), "CapabilityAdd"),
					"CapabilityAdd");
		}
		if (!endpoint.carriesHostConfig()) {
			return Optional.empty();
		}
		for (Map<String, Object> hostConfig : JsonValues.hostConfigs(root)) {
			Optional<String> violation = hostConfig(hostConfig);
			if (violation.isPresent()) {
				return violation;
			}
		}
		return Optional.empty();
	}

	private Optional<String> hostConfig(Map<String, Object> hostConfig) {
		if (this.policy.refusePrivileged()) {
			Optional<String> violation = privileged(hostConfig);
			if (violation.isPresent()) {
				return violation;
			}
		}
		if (this.policy.refuseHostNamespaces()) {
			for (String mode : NAMESPACE_MODES) {
				String value = JsonValues.string(JsonValues.field(hostConfig, mode), mode);
				if (value != null && (value.equalsIgnoreCase("host") || value.toLowerCase(Locale.ROOT).startsWith("host:"))) {
					return Optional.of(mode + " host");
				}
			}
		}
		if (this.policy.refuseDevices()) {
			if (!JsonValues.array(JsonValues.field(hostConfig, "Devices"), "Devices").isEmpty()) {
				return Optional.of("Devices");
			}
			if (!JsonValues.array(JsonValues.field(hostConfig, "DeviceCgroupRules"), "DeviceCgroupRules").isEmpty()) {
				return Optional.of("DeviceCgroupRules");
			}
		}
		if (this.policy.restrictCapabilities()) {
			Optional<String> violation = capabilities(JsonValues.field(hostConfig, "CapAdd"), "CapAdd")
				.or(() -> capabilities(JsonValues.field(hostConfig, "Capabilities"), "Capabilities"));
			if (violation.isPresent()) {
				return violation;
			}
		}
		if (this.policy.refuseUnconfined()) {
			for (Object option : JsonValues.array(JsonValues.field(hostConfig, "SecurityOpt"), "SecurityOpt")) {
				String text = JsonValues.string(option, "SecurityOpt entry");
				if (text != null && disablesConfinement(text)) {
					return Optional.of("SecurityOpt " + text);
				}
			}
		}
		return Optional.empty();
	}

	private static Optional<String> privileged(Map<String, Object> object) {
		Object privileged = JsonValues.field(object, "Privileged");
		return (privileged != null && !Boolean.FALSE.equals(privileged)) ? Optional.of("Privileged") : Optional.empty();
	}

	private Optional<String> capabilities(Object capabilities, String name) {
		List<Object> entries = JsonValues.array(capabilities, name);
		for (Object entry : entries) {
			String capability = JsonValues.string(entry, name + " entry");
			if (capability == null || !this.allowedCapabilities.contains(capability(capability))) {
				return Optional.of(name + " " + capability);
			}
		}
		return Optional.empty();
	}

	/** {@code cap_net_admin}, {@code NET_ADMIN} and {@code CAP_NET_ADMIN} are one capability to the engine. */
	private static String capability(String name) {
		String upper = name.trim().toUpperCase(Locale.ROOT);
		return upper.startsWith("CAP_") ? upper.substring(4) : upper;
	}

	/**
	 * Whether a security option turns confinement off: {@code seccomp=unconfined} or any
	 * custom seccomp profile, {@code apparmor=unconfined}, {@code label=disable} or an
	 * SELinux type that is unconfined, {@code systempaths=unconfined}. The engine also
	 * accepts {@code :} for {@code =}.
	 */
	static boolean disablesConfinement(String option) {
		String text = option.trim().toLowerCase(Locale.ROOT);
		int equals = text.indexOf('=');
		int separator = (equals >= 0) ? equals : text.indexOf(':');
		if (separator < 0) {
			return false;
		}
		String key = text.substring(0, separator).trim();
		String value = text.substring(separator + 1).trim();
		return switch (key) {
			case "seccomp" -> !value.equals("builtin");
			case "apparmor", "systempaths" -> value.equals("unconfined");
			case "label" -> value.equals("disable") || value.equals("type:spc_t") || value.equals("type:unconfined_t");
			default -> false;
		};
	}

}
