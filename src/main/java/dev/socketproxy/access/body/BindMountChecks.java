package dev.socketproxy.access.body;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.socketproxy.access.BindMountPolicy;

/**
 * The bind-mount restriction applied to a request body: every host path it would mount
 * must be allowed by the client's {@link BindMountPolicy}. Covered: {@code Binds},
 * {@code Mounts} of type bind, and the driver options of volumes (container and service
 * {@code Mounts}, volume-create {@code DriverOpts}); {@code VolumesFrom} is refused
 * outright, since it inherits another container's mounts.
 * <p>
 * A volume of the local driver may mount only a directory: a bind of an allowed one, a
 * {@code tmpfs}, or an {@code overlay} whose layers are allowed ones. Every other type mounts
 * what the proxy cannot judge as a directory: a block device ({@code ext4} on
 * {@code /dev/vda} is the host's disk), a pseudo-file system ({@code proc}, {@code sysfs}),
 * or a network export ({@code nfs}, {@code cifs}), which the host's kernel fetches from the
 * host's network, where an export of the host's own file system may be one address away.
 */
public final class BindMountChecks {

	private final BindMountPolicy policy;

	public BindMountChecks(BindMountPolicy policy) {
		this.policy = policy;
	}

	/** What the body asks for that the restriction forbids, if anything. */
	public Optional<String> violation(InspectedEndpoint endpoint, Object body) {
		if (!this.policy.enabled() || body == null) {
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
			return volumeOptions(JsonValues.string(JsonValues.field(root, "Driver"), "Driver"),
					JsonValues.object(JsonValues.field(root, "DriverOpts"), "DriverOpts"));
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
				Optional<String> violation = this.policy.violation("bind source", spec.substring(0, colon));
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
				Optional<String> violation = this.policy.violation("bind source",
						JsonValues.string(JsonValues.field(mount, "Source"), "Mounts Source"));
				if (violation.isPresent()) {
					return violation;
				}
			}
			Map<String, Object> driverConfig = JsonValues.objectAt(mount, "VolumeOptions", "DriverConfig");
			Optional<String> violation = volumeOptions(
					JsonValues.string(JsonValues.field(driverConfig, "Name"), "DriverConfig Name"),
					JsonValues.object(JsonValues.field(driverConfig, "Options"), "DriverConfig Options"));
			if (violation.isPresent()) {
				return violation;
			}
		}
		return Optional.empty();
	}

	/**
	 * A volume's driver options. A device bound by {@code o=bind} must be an allowed directory
	 * whatever the driver, since a plugin may hand the options to mount(2) as the local
	 * driver does; the other types are judged for the local driver only, as another
	 * driver's {@code type} means what that plugin makes of it.
	 */
	private Optional<String> volumeOptions(String driver, Map<String, Object> options) {
		LocalVolumeOptions volume = LocalVolumeOptions.of(options);
		if (volume.mayBind()) {
			Optional<String> violation = this.policy.violation("bind source", volume.device());
			if (violation.isPresent()) {
				return violation;
			}
		}
		if (!LocalVolumeOptions.isLocalDriver(driver) || volume.binds() || !volume.mounts()) {
			return Optional.empty();
		}
		if (volume.type() == null) {
			return Optional.of("local volume options without a type are not allowed");
		}
		return switch (volume.type()) {
			case "tmpfs" -> Optional.empty();
			case "overlay" -> overlayDirectories(volume);
			default -> Optional.of("local volume type " + volume.type() + " is not allowed");
		};
	}

	/**
	 * Every directory an overlay names must be allowed. The kernel reads {@code \} as an
	 * escape (of a {@code :} or {@code ,} inside a path), so a value holding one is refused
	 * rather than read differently. A value is checked whole and split at its colons, so it
	 * passes only if it is allowed both as one path and as a list of layers.
	 */
	private Optional<String> overlayDirectories(LocalVolumeOptions volume) {
		for (Map.Entry<String, String> directory : volume.overlayDirectories()) {
			String what = "overlay " + directory.getKey();
			String value = directory.getValue();
			if (value.indexOf('\\') >= 0) {
				return Optional.of(what + " " + value + " holds an escape");
			}
			List<String> paths = new ArrayList<>(List.of(value));
			Arrays.stream(value.split(":")).filter((layer) -> !layer.isEmpty()).forEach(paths::add);
			for (String path : paths) {
				Optional<String> violation = this.policy.violation(what, path);
				if (violation.isPresent()) {
					return violation;
				}
			}
		}
		return Optional.empty();
	}

}
