package dev.socketproxy.access;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.socketproxy.config.IpLiterals;

/**
 * The current addresses of the allowlist's hostnames, cached for a short time to live.
 * Lookups block, so they run off the event loop; a name that does not resolve allows
 * nobody until it does.
 */
public class HostnameAddresses {

	private static final Logger logger = LoggerFactory.getLogger(HostnameAddresses.class);

	private final Duration timeToLive;

	private final Clock clock;

	private final Lookup lookup;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	public HostnameAddresses(Duration timeToLive) {
		this(timeToLive, Clock.systemUTC(), InetAddress::getAllByName);
	}

	HostnameAddresses(Duration timeToLive, Clock clock, Lookup lookup) {
		this.timeToLive = timeToLive;
		this.clock = clock;
		this.lookup = lookup;
	}

	/** Whether the address is one of the hostnames' current addresses. */
	public Mono<Boolean> anyResolvesTo(List<String> hostnames, InetAddress address) {
		InetAddress canonical = IpLiterals.canonical(address);
		return Flux.fromIterable(hostnames)
			.concatMap(this::addressesOf)
			.any((addresses) -> addresses.contains(canonical));
	}

	private Mono<Set<InetAddress>> addressesOf(String hostname) {
		Instant now = this.clock.instant();
		Cached cached = this.cache.get(hostname);
		if (cached != null && now.isBefore(cached.expires)) {
			return Mono.just(cached.addresses);
		}
		return Mono.fromCallable(() -> resolve(hostname))
			.subscribeOn(Schedulers.boundedElastic())
			.doOnNext((addresses) -> this.cache.put(hostname, new Cached(addresses, now.plus(this.timeToLive))));
	}

	private Set<InetAddress> resolve(String hostname) {
		try {
			return Arrays.stream(this.lookup.addresses(hostname))
				.map(IpLiterals::canonical)
				.collect(Collectors.toUnmodifiableSet());
		}
		catch (UnknownHostException ex) {
			logger.atWarn()
				.addKeyValue("reason", "hostname not resolved")
				.addKeyValue("hostname", hostname)
				.log("allow-from hostname does not resolve");
			return Set.of();
		}
	}

	@FunctionalInterface
	interface Lookup {

		InetAddress[] addresses(String hostname) throws UnknownHostException;

	}

	private record Cached(Set<InetAddress> addresses, Instant expires) {
	}

}
