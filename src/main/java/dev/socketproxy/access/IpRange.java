package dev.socketproxy.access;

import java.net.InetAddress;

import dev.socketproxy.config.IpLiterals;

/**
 * An IPv4 or IPv6 network in CIDR notation; a bare address is a network of one. IPv4
 * ranges written in IPv4-mapped IPv6 form ({@code ::ffff:10.0.0.0/104}) are stored as
 * IPv4 so that they match IPv4 peers.
 */
public record IpRange(InetAddress network, int prefixLength) {

	/**
	 * Parses {@code 10.0.0.0/8}, {@code fd00::/8}, {@code 127.0.0.1} or {@code ::1}.
	 * @throws IllegalArgumentException with a short reason if the text is not a CIDR or IP
	 */
	public static IpRange parse(String text) {
		int slash = text.indexOf('/');
		String addressText = (slash >= 0) ? text.substring(0, slash) : text;
		if (!IpLiterals.isIpLiteral(addressText)) {
			throw new IllegalArgumentException("not an IP address or CIDR");
		}
		InetAddress written = IpLiterals.parse(addressText);
		int writtenBits = (written.getAddress().length == 4 && addressText.contains(":")) ? 128 : written.getAddress().length * 8;
		int prefix = writtenBits;
		if (slash >= 0) {
			String prefixText = text.substring(slash + 1);
			if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > writtenBits) {
				throw new IllegalArgumentException("prefix length must be 0 to " + writtenBits);
			}
			prefix = Integer.parseInt(prefixText);
		}
		if (writtenBits == 128 && written.getAddress().length == 4) {
			if (prefix < 96) {
				throw new IllegalArgumentException("an IPv4-mapped range needs a prefix length of at least 96");
			}
			prefix -= 96;
		}
		return new IpRange(written, prefix);
	}

	/** Whether the (canonical) address lies in this range; IPv4 never matches IPv6. */
	public boolean contains(InetAddress address) {
		byte[] candidate = IpLiterals.canonical(address).getAddress();
		byte[] own = this.network.getAddress();
		if (candidate.length != own.length) {
			return false;
		}
		int fullBytes = this.prefixLength / 8;
		for (int i = 0; i < fullBytes; i++) {
			if (candidate[i] != own[i]) {
				return false;
			}
		}
		int remainingBits = this.prefixLength % 8;
		if (remainingBits == 0) {
			return true;
		}
		int mask = (0xff << (8 - remainingBits)) & 0xff;
		return (candidate[fullBytes] & mask) == (own[fullBytes] & mask);
	}

	@Override
	public String toString() {
		return this.network.getHostAddress() + "/" + this.prefixLength;
	}

}
