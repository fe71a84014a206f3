package dev.socketproxy.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an operator can configure, bound once from YAML, environment variables,
 * the reference proxy's {@code SP_*} variables and its command-line flags. Defaults live
 * here and nowhere else. Values that would only fail later (ports, modes, levels) are
 * checked on construction, so a bad value stops the start with one line naming it.
 *
 * @param listenIp IP literal the TCP listener binds to
 * @param proxyPort TCP port of the listener
 * @param socketPath the Unix socket every allowed request is forwarded to
 * @param allowFrom CIDRs, IPs and hostnames whose TCP peers may connect
 * @param allowFromDnsTtl how long resolved {@code allowFrom} hostnames are cached
 * @param allow per HTTP method, regexes that an allowed path must match
 * @param logLevel DEBUG, INFO, WARN or ERROR
 * @param logJson whether log lines are JSON
 * @param shutdownGraceTime how long in-flight requests may finish after SIGTERM
 * @param watchdogInterval time between socket checks, zero for none
 * @param stopOnWatchdog exit when the watchdog finds the socket gone
 * @param allowHealthCheck whether the health endpoint is served
 * @param proxySocketEndpoint Unix socket to listen on instead of TCP
 * @param proxySocketEndpointFileMode octal file mode of that socket
 * @param allowBindMountFrom directories bind-mount sources must lie in
 * @param proxyContainerName the proxy's own container, enabling label allowlists
 * @param dockerLabelPrefix prefix of the allowlist labels
 */
@ConfigurationProperties("socketproxy")
public record SocketProxyProperties(@DefaultValue("127.0.0.1") String listenIp, @DefaultValue("2375") int proxyPort,
		@DefaultValue("/var/run/docker.sock") String socketPath, @DefaultValue("127.0.0.1/32") List<String> allowFrom,
		@DefaultValue("10s") Duration allowFromDnsTtl, Map<String, List<String>> allow,
		@DefaultValue("INFO") String logLevel, @DefaultValue("false") boolean logJson,
		@DefaultValue("10s") Duration shutdownGraceTime, @DefaultValue("0s") Duration watchdogInterval,
		@DefaultValue("false") boolean stopOnWatchdog, @DefaultValue("false") boolean allowHealthCheck,
		String proxySocketEndpoint, @DefaultValue("0600") String proxySocketEndpointFileMode,
		List<String> allowBindMountFrom, String proxyContainerName,
		@DefaultValue("socket-proxy") String dockerLabelPrefix) {

	/** The log levels the reference accepts, in either case. */
	public static final Set<String> LOG_LEVELS = Set.of("DEBUG", "INFO", "WARN", "ERROR");

	private static final String PREFIX = "socketproxy.";

	public SocketProxyProperties {
		allow = normalizeMethods(allow);
		allowFrom = List.copyOf(allowFrom);
		allowBindMountFrom = (allowBindMountFrom != null) ? List.copyOf(allowBindMountFrom) : List.of();
		proxySocketEndpoint = blankToNull(proxySocketEndpoint);
		proxyContainerName = blankToNull(proxyContainerName);
		logLevel = logLevel.toUpperCase(Locale.ROOT);
		requireIpLiteral(listenIp);
		require(proxyPort >= 1 && proxyPort <= 65535, "proxy-port", proxyPort, "must be between 1 and 65535");
		require(!socketPath.isBlank(), "socket-path", socketPath, "must not be empty");
		require(LOG_LEVELS.contains(logLevel), "log-level", logLevel, "must be one of DEBUG, INFO, WARN, ERROR");
		requireNotNegative("shutdown-grace-time", shutdownGraceTime);
		requireNotNegative("watchdog-interval", watchdogInterval);
		requireNotNegative("allow-from-dns-ttl", allowFromDnsTtl);
		parseFileMode(proxySocketEndpointFileMode);
		rejectUntilSupported(!allowBindMountFrom.isEmpty(), "allow-bind-mount-from", allowBindMountFrom);
		rejectUntilSupported(proxyContainerName != null, "proxy-container-name", proxyContainerName);
		rejectUntilSupported(!watchdogInterval.isZero(), "watchdog-interval", watchdogInterval);
		rejectUntilSupported(stopOnWatchdog, "stop-on-watchdog", stopOnWatchdog);
		rejectUntilSupported(allowHealthCheck, "allow-health-check", allowHealthCheck);
	}

	/** The socket file mode as a number, e.g. {@code 0600} becomes 384. */
	public int proxySocketEndpointFileModeBits() {
		return parseFileMode(this.proxySocketEndpointFileMode);
	}

	/** A parameter whose feature has not landed fails loudly instead of being ignored. */
	private static void rejectUntilSupported(boolean set, String key, Object value) {
		require(!set, key, value, "not supported yet by this version");
	}

	private static Map<String, List<String>> normalizeMethods(Map<String, List<String>> allow) {
		Map<String, List<String>> byMethod = new TreeMap<>();
		if (allow != null) {
			allow.forEach((method, rules) -> byMethod.put(method.toUpperCase(Locale.ROOT),
					(rules != null) ? List.copyOf(rules) : List.of()));
		}
		return Map.copyOf(byMethod);
	}

	private static int parseFileMode(String mode) {
		try {
			int bits = Integer.parseInt(mode, 8);
			require(bits >= 0 && bits <= 0777, "proxy-socket-endpoint-file-mode", mode, "must be an octal mode from 0 to 0777");
			return bits;
		}
		catch (NumberFormatException ex) {
			throw new InvalidConfigurationException(PREFIX + "proxy-socket-endpoint-file-mode", mode,
					"must be an octal mode such as 0600");
		}
	}

	private static void requireIpLiteral(String listenIp) {
		require(IpLiterals.isIpLiteral(listenIp), "listen-ip", listenIp, "must be an IPv4 or IPv6 address, not a hostname");
	}

	private static void requireNotNegative(String key, Duration value) {
		require(!value.isNegative(), key, value, "must not be negative");
	}

	private static void require(boolean condition, String key, Object value, String reason) {
		if (!condition) {
			throw new InvalidConfigurationException(PREFIX + key, value, reason);
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/** The listen address as an {@link InetAddress}; parsing never does a DNS lookup. */
	public InetAddress listenAddress() {
		return IpLiterals.parse(this.listenIp);
	}

}
