package dev.socketproxy.access;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.socketproxy.config.InvalidConfigurationException;

/**
 * Who may connect: IP ranges, and hostnames whose current addresses may connect. Built
 * from the {@code allow-from} list; hostname lookups are the caller's business so that
 * this stays a plain, synchronous decision.
 */
public final class ClientAllowlist {

	private static final Pattern HOSTNAME = Pattern
		.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");

	private final List<IpRange> ranges;

	private final List<String> hostnames;

	private ClientAllowlist(List<IpRange> ranges, List<String> hostnames) {
		this.ranges = List.copyOf(ranges);
		this.hostnames = List.copyOf(hostnames);
	}

	/**
	 * Parses entries such as {@code 10.0.0.0/8}, {@code ::1}, {@code traefik}; each list
	 * element may itself be a comma-separated list, as the reference's flag is.
	 * @throws InvalidConfigurationException for an entry that is neither
	 */
	public static ClientAllowlist parse(List<String> entries) {
		return parse("socketproxy.allow-from", entries);
	}

	/**
	 * Parses entries as {@link #parse(List)} does, naming {@code key} in errors.
	 */
	public static ClientAllowlist parse(String key, List<String> entries) {
		List<IpRange> ranges = new ArrayList<>();
		List<String> hostnames = new ArrayList<>();
		for (String element : entries) {
			for (String raw : element.split(",")) {
				String entry = raw.trim();
				if (entry.isEmpty()) {
					throw new InvalidConfigurationException(key, String.join(",", entries), "contains an empty entry");
				}
				if (looksLikeAddress(entry)) {
					try {
						ranges.add(IpRange.parse(entry));
					}
					catch (IllegalArgumentException ex) {
						throw new InvalidConfigurationException(key, entry, ex.getMessage());
					}
				}
				else if (HOSTNAME.matcher(entry).matches()) {
					hostnames.add(entry);
				}
				else {
					throw new InvalidConfigurationException(key, entry, "neither an IP address, a CIDR nor a hostname");
				}
			}
		}
		return new ClientAllowlist(ranges, hostnames);
	}

	/** Whether the address lies in one of the IP ranges. */
	public boolean containsAddress(InetAddress address) {
		for (IpRange range : this.ranges) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/** Hostnames whose resolved addresses are also allowed. */
	public List<String> hostnames() {
		return this.hostnames;
	}

	@Override
	public String toString() {
		List<String> all = new ArrayList<>();
		this.ranges.forEach((range) -> all.add(range.toString()));
		all.addAll(this.hostnames);
		return String.join(",", all);
	}

	private static boolean looksLikeAddress(String entry) {
		return entry.contains(":") || entry.contains("/") || entry.matches("[0-9.]+");
	}

}
