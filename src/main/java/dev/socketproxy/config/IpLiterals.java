package dev.socketproxy.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;

/**
 * Parses IP address literals without ever asking DNS, and folds IPv4-mapped IPv6
 * addresses ({@code ::ffff:a.b.c.d}) into their IPv4 form so that one rule covers both.
 */
public final class IpLiterals {

	private IpLiterals() {
	}

	public static boolean isIpLiteral(String text) {
		return text != null && (NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text));
	}

	/**
	 * Parses an IPv4 or IPv6 literal.
	 * @throws IllegalArgumentException if the text is not an IP literal
	 */
	public static InetAddress parse(String text) {
		InetAddress address = isIpLiteral(text) ? NetUtil.createInetAddressFromIpAddressString(text) : null;
		if (address == null) {
			throw new IllegalArgumentException("not an IP address: " + text);
		}
		return canonical(address);
	}

	/** IPv4-mapped IPv6 addresses become IPv4 addresses; everything else is returned as is. */
	public static InetAddress canonical(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			if (isIpv4Mapped(bytes)) {
				try {
					return Inet4Address.getByAddress(new byte[] { bytes[12], bytes[13], bytes[14], bytes[15] });
				}
				catch (UnknownHostException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return address;
	}

	private static boolean isIpv4Mapped(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
	}

}
