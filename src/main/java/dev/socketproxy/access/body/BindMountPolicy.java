package dev.socketproxy.access.body;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The bind-mount restriction: every host path a request would mount must be one of the
 * allowed directories or lie below one. Host paths are cleaned ({@code .}, {@code ..},
 * repeated and trailing slashes) before the comparison, as the engine cleans them.
 * Covered: {@code Binds}, {@code Mounts} of type bind, volume mounts whose driver options
 * bind a device ({@code o=bind}/{@code rbind}), service {@code ContainerSpec.Mounts},
 * volume-create {@code DriverOpts}; {@code VolumesFrom} is refused outright, since it
 * inherits another container's mounts.
 */
public final class BindMountPolicy {

	private final List<String> allowedDirectories;

	public BindMountPolicy(List<String> allowedDirectories) {
		this.allowedDirectories = allowedDirectories.stream().map(BindMountPolicy::clean).toList();
	}

	/** The allowed directories, cleaned, e.g. {@code [/srv/data]}; empty when the restriction is off. */
	@Override
	public String toString() {
		return this.allowedDirectories.toString();
	}

	/** Whether the restriction is on at all. */
	public boolean enabled() {
		return !this.allowedDirectories.isEmpty();
	}

	/** What the body asks for that the restriction forbids, if anything. */
	public Optional<String> violation(InspectedEndpoint endpoint, Object body) {
		if (!enabled() || body == null) {
			return Optional.empty();
		}
		Map<String, Object> root = JsonValues.object(body, "body");
		if (endpoint.carriesHostConfig()) {
			for (Map<String, Object> hostConfig : JsonValues.hostConfigs(root)) {
				Optional<String> violation = hostConfig(hostConfig);
				if (violation.isPresent()) {
					return violation;
				}
			}
			return Optional.empty();
		}
		if (endpoint.describesService()) {
			return mounts(JsonValues.field(JsonValues.objectAt(root, "TaskTemplate", "ContainerSpec"), "Mounts"));
		}
		if (endpoint == InspectedEndpoint.VOLUME_CREATE) {
			return driverOptions(JsonValues.object(JsonValues.field(root, "DriverOpts"), "DriverOpts"));
		}
		return Optional.empty();
	}

	private Optional<String> hostConfig(Map<String, Object> hostConfig) {
		if (!JsonValues.array(JsonValues.field(hostConfig, "VolumesFrom"), "VolumesFrom").isEmpty()) {
			return Optional.of("VolumesFrom is not allowed");
		}
		for (Object bind : JsonValues.array(JsonValues.field(hostConfig, "Binds"), "Binds")) {
			String spec = JsonValues.string(bind, "Binds entry");
			int colon = (spec != null) ? spec.indexOf(':') : -1;
			if (colon >= 0 && spec.startsWith("/")) {
				Optional<String> violation = hostPath(spec.substring(0, colon));
				if (violation.isPresent()) {
					return violation;
				}
			}
		}
		return mounts(JsonValues.field(hostConfig, "Mounts"));
	}

	private Optional<String> mounts(Object mounts) {
		for (Object entry : JsonValues.array(mounts, "Mounts")) {
			Map<String, Object> mount = JsonValues.object(entry, "Mounts entry");
			String type = JsonValues.string(JsonValues.field(mount, "Type"), "Mounts Type");
			if ("bind".equalsIgnoreCase(type)) {
				Optional<String> violation = hostPath(JsonValues.string(JsonValues.field(mount, "Source"), "Mounts Source"));
				if (violation.isPresent()) {
					return violation;
				}
			}
			Optional<String> violation = driverOptions(
					JsonValues.objectAt(mount, "VolumeOptions", "DriverConfig", "Options"));
			if (violation.isPresent()) {
				return violation;
			}
		}
		return Optional.empty();
	}

	private Optional<String> driverOptions(Map<String, Object> options) {
		String o = JsonValues.string(JsonValues.field(options, "o"), "driver option o");
		if (o == null) {
			return Optional.empty();
		}
		for (String option : o.split(",")) {
			String name = option.trim().toLowerCase(Locale.ROOT);
			if (name.equals("bind") || name.equals("rbind")) {
				return hostPath(JsonValues.string(JsonValues.field(options, "device"), "driver option device"));
			}
		}
		return Optional.empty();
	}

	private Optional<String> hostPath(String source) {
		if (source == null || !source.startsWith("/")) {
			return Optional.of("bind source " + source + " is not an absolute path");
		}
		String cleaned = clean(source);
		for (String directory : this.allowedDirectories) {
			if (cleaned.equals(directory) || cleaned.startsWith(directory.equals("/") ? "/" : directory + "/")) {
				return Optional.empty();
			}
		}
		return Optional.of(source + " is outside the allowed directories");
	}

	/** Go's {@code filepath.Clean} for absolute paths. */
	static String clean(String path) {
		Deque<String> segments = new ArrayDeque<>();
		for (String segment : path.split("/")) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				segments.pollLast();
			}
			else {
				segments.addLast(segment);
			}
		}
		return "/" + String.join("/", segments);
	}

}
