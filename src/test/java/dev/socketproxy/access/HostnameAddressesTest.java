package dev.socketproxy.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.socketproxy.config.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;

class HostnameAddressesTest {

	private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger lookups = new AtomicInteger();

	private final AtomicReference<String> currentAddress = new AtomicReference<>("10.0.0.5");

	private final HostnameAddresses addresses = new HostnameAddresses(Duration.ofSeconds(10), clock(), (hostname) -> {
		this.lookups.incrementAndGet();
		if (hostname.equals("gone")) {
			throw new UnknownHostException(hostname);
		}
		return new InetAddress[] { IpLiterals.parse(this.currentAddress.get()) };
	});

	@Test
	void cachesLookupsForTheTimeToLive() {
		assertThat(allows("traefik", "10.0.0.5")).isTrue();
		this.currentAddress.set("10.0.0.6");
		this.now.set(this.now.get().plusSeconds(9));

		assertThat(allows("traefik", "10.0.0.5")).isTrue();
		assertThat(this.lookups).hasValue(1);

		this.now.set(this.now.get().plusSeconds(2));
		assertThat(allows("traefik", "10.0.0.5")).isFalse();
		assertThat(allows("traefik", "10.0.0.6")).isTrue();
		assertThat(this.lookups).hasValue(2);
	}

	@Test
	void unresolvableNameAllowsNobody() {
		assertThat(allows("gone", "10.0.0.5")).isFalse();
	}

	@Test
	void realLookupOfLocalhost() {
		HostnameAddresses real = new HostnameAddresses(Duration.ofSeconds(10));

		assertThat(real.anyResolvesTo(List.of("localhost"), IpLiterals.parse("127.0.0.1")).block()).isTrue();
		assertThat(real.anyResolvesTo(List.of("localhost"), IpLiterals.parse("10.9.9.9")).block()).isFalse();
	}

	private boolean allows(String hostname, String peer) {
		return this.addresses.anyResolvesTo(List.of(hostname), IpLiterals.parse(peer)).block();
	}

	private Clock clock() {
		return new Clock() {

			@Override
			public ZoneOffset getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

			@Override
			public Instant instant() {
				return HostnameAddressesTest.this.now.get();
			}

		};
	}

}
