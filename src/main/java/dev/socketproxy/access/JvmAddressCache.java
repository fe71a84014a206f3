package dev.socketproxy.access;

import java.security.Security;

/**
 * Makes the allowlist's hostname cache ({@link HostnameAddresses}, {@code allow-from-dns-ttl})
 * the only DNS cache of the process. The JVM keeps what {@code InetAddress} resolved for 30 s
 * (a name not found for 10 s) by default, under the proxy's own cache: a container's new
 * address would be refused, and its old address let in, for that much longer than the
 * documented time to live. The JDK reads these properties once, at the first lookup, so this
 * runs first in {@code main}, for the jar and the image alike.
 */
public final class JvmAddressCache {

	/** The JDK's security properties for its positive and negative address cache (seconds). */
	static final String TTL = "networkaddress.cache.ttl";

	static final String NEGATIVE_TTL = "networkaddress.cache.negative.ttl";

	private JvmAddressCache() {
	}

	/** Turns the JVM's own address cache off (before the first lookup). */
	public static void disable() {
		Security.setProperty(TTL, "0");
		Security.setProperty(NEGATIVE_TTL, "0");
	}

}
