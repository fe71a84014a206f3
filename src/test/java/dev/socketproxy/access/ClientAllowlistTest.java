package dev.socketproxy.access;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAllowlistTest {

	@ParameterizedTest
	@CsvSource({ "127.0.0.1/32, 127.0.0.1, true", "127.0.0.1/32, 127.0.0.2, false", "10.0.0.0/8, 10.255.1.2, true",
			"10.0.0.0/8, 11.0.0.1, false", "172.16.0.0/12, 172.31.255.255, true", "172.16.0.0/12, 172.32.0.0, false",
			"192.168.1.128/25, 192.168.1.200, true", "192.168.1.128/25, 192.168.1.127, false", "0.0.0.0/0, 8.8.8.8, true",
			"0.0.0.0/0, ::1, false", "::1, ::1, true", "::1/128, ::2, false", "fd00::/8, fd12:3456::1, true",
			"fd00::/8, fe80::1, false", "::/0, 2001:db8::1, true", "::/0, 127.0.0.1, false",
			"127.0.0.1, ::ffff:127.0.0.1, true", "::ffff:10.0.0.0/104, 10.9.8.7, true",
			"::ffff:10.0.0.0/104, 11.0.0.1, false", "10.1.2.3, 10.1.2.3, true" })
	void matchesPeersByRange(String entry, String peer, boolean expected) {
		ClientAllowlist allowlist = ClientAllowlist.parse(List.of(entry));

		assertThat(allowlist.containsAddress(address(peer))).isEqualTo(expected);
	}

	@Test
	void ipv4MappedPeerMatchesIpv4Entry() throws Exception {
		byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1 };
		InetAddress peer = java.net.Inet6Address.getByAddress(null, mapped, -1);

		assertThat(ClientAllowlist.parse(List.of("127.0.0.1/32")).containsAddress(peer)).isTrue();
	}

	@Test
	void commaSeparatedElementsAndHostnamesAreSplit() {
		ClientAllowlist allowlist = ClientAllowlist.parse(List.of("10.0.0.0/8, traefik", "::1"));

		assertThat(allowlist.hostnames()).containsExactly("traefik");
		assertThat(allowlist.containsAddress(address("10.1.1.1"))).isTrue();
		assertThat(allowlist.containsAddress(address("::1"))).isTrue();
		assertThat(allowlist.toString()).isEqualTo("10.0.0.0/8,0:0:0:0:0:0:0:1/128,traefik");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "10.0.0.0/33|prefix length must be 0 to 32", "::1/129|prefix length must be 0 to 128",
			"10.0.0.256|not an IP address or CIDR", "10.0.0.0/x|prefix length must be 0 to 32",
			"::ffff:10.0.0.0/90|an IPv4-mapped range needs a prefix length of at least 96",
			"bad host!|neither an IP address, a CIDR nor a hostname", "1.2.3.4:80|not an IP address or CIDR" })
	void rejectsBadEntriesNamingThem(String entry, String reason) {
		assertThatThrownBy(() -> ClientAllowlist.parse(List.of(entry))).isInstanceOf(InvalidConfigurationException.class)
			.hasMessage("socketproxy.allow-from='" + entry + "': " + reason);
	}

	@Test
	void rejectsEmptyEntries() {
		assertThatThrownBy(() -> ClientAllowlist.parse(List.of("10.0.0.0/8,,::1")))
			.isInstanceOf(InvalidConfigurationException.class)
			.hasMessageContaining("contains an empty entry");
	}

	private static InetAddress address(String literal) {
		return IpLiterals.parse(literal);
	}

}
