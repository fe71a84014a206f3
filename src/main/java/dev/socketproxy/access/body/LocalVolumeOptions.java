package dev.socketproxy.access.body;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A volume's driver options as Docker's built-in {@code local} driver reads them: it hands
 * {@code device}, the volume's directory, {@code type} and {@code o} to mount(2) through
 * moby's mount package, which splits {@code o} at every comma and turns the tokens of its
 * flag table ({@code bind}, {@code rbind}, {@code ro}, ...) into mount flags and the rest into
 * the file system's own options. The driver matches the option keys exactly and refuses any
 * other key; here they are matched as {@link JsonValues#field} matches fields, so a spelling
 * another engine might honour ({@code Device}) is judged too.
 *
 * @param type the file system, e.g. {@code ext4}, {@code tmpfs}, {@code overlay}; {@code null} if absent
 * @param device what is mounted: a path, a block device, a remote export, or a name a
 * pseudo-file system ignores; {@code null} if absent
 * @param mountOptions {@code o} split at its commas, empty if absent
 */
record LocalVolumeOptions(String type, String device, List<String> mountOptions) {

	/** The tokens moby's mount package reads as a bind, after which the kernel ignores type and data. */
	private static final Set<String> BIND_FLAGS = Set.of("bind", "rbind");

	/**
	 * The overlay options that name host directories ({@code lowerdir+} and {@code datadir+}
	 * are the kernel's newer one-layer-at-a-time spellings).
	 */
	private static final Set<String> OVERLAY_DIRECTORY_OPTIONS = Set.of("lowerdir", "lowerdir+", "upperdir", "workdir",
			"datadir+");

	static LocalVolumeOptions of(Map<String, Object> options) {
		String o = JsonValues.string(JsonValues.field(options, "o"), "driver option o");
		return new LocalVolumeOptions(JsonValues.string(JsonValues.field(options, "type"), "driver option type"),
				JsonValues.string(JsonValues.field(options, "device"), "driver option device"),
				(o != null) ? Arrays.asList(o.split(",", -1)) : List.of());
	}

	/**
	 * Whether {@code driver} names the built-in local driver. The engine takes an absent or
	 * empty name for it and looks any other spelling up as a plugin; blank and case variants
	 * ({@code Local}) count as local here too, which at worst judges a plugin that chose
	 * such a name by the local driver's rules.
	 */
	static boolean isLocalDriver(String driver) {
		return driver == null || driver.isBlank() || driver.strip().equalsIgnoreCase("local");
	}

	/** Whether the options mount anything: a volume with none of them is a plain directory. */
	boolean mounts() {
		return this.type != null || this.device != null || !this.mountOptions.isEmpty();
	}

	/**
	 * Whether an {@code o} token could be read as a bind by some engine: also {@code BIND} or
	 * {@code " rbind"}, which moby passes to the file system instead, so the device must be an
	 * allowed directory whenever this holds.
	 */
	boolean mayBind() {
		return this.mountOptions.stream().anyMatch((option) -> BIND_FLAGS.contains(option.strip().toLowerCase(Locale.ROOT)));
	}

	/**
	 * Whether an {@code o} token is exactly what moby's flag table reads as a bind: then the
	 * kernel mounts the device as a directory and ignores the type and every other option.
	 */
	boolean binds() {
		return this.mountOptions.stream().anyMatch(BIND_FLAGS::contains);
	}

	/**
	 * The overlay options that name directories, as {@code name=value} pairs in the order
	 * given, e.g. {@code lowerdir=/a:/b}. Names are matched ignoring case and surrounding
	 * space, which the kernel does not do: a spelling it would refuse is judged all the same.
	 */
	List<Map.Entry<String, String>> overlayDirectories() {
		List<Map.Entry<String, String>> directories = new ArrayList<>();
		for (String option : this.mountOptions) {
			int equals = option.indexOf('=');
			if (equals >= 0) {
				String name = option.substring(0, equals).strip().toLowerCase(Locale.ROOT);
				if (OVERLAY_DIRECTORY_OPTIONS.contains(name)) {
					directories.add(Map.entry(name, option.substring(equals + 1)));
				}
			}
		}
		return directories;
	}

}
