package dev.socketproxy.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can configure, bound once from YAML, environment variables,
 * the reference proxy's {@code SP_*} variables and its command-line flags. Defaults live
 * here and nowhere else: the few also read before binding ({@link DerivedPropertiesPostProcessor},
 * the health check command) are constants the annotations use too. Values that would only
 * fail later (ports, modes, levels) are checked on construction, so a bad value stops the
 * start with one line naming it.
 *
 * @param listenIp IP literal the TCP listener binds to
 * @param proxyPort TCP port of the listener
 * @param socketPath the Unix socket every allowed request is forwarded to
 * @param allowFrom CIDRs, IPs and hostnames whose TCP peers may connect
 * @param allowFromDnsTtl how long resolved {@code allowFrom} hostnames are cached
 * @param allow per HTTP method, regexes that an allowed path must match
 * @param profiles client groups with rules of their own, tried in order before the
 * default rules
 * @param reportOnly judge every request but forward the ones the rules would refuse,
 * logging and counting them
 * @param rulesFile YAML file holding {@code allow}, {@code allow-bind-mount-from},
 * {@code profiles}, {@code redact-env}, {@code allow-images}, {@code refuse-latest},
 * {@code owner} and {@code visible-containers} instead of this configuration; reloaded when it changes
 * @param rulesFileCheckInterval how often the rules file is checked for changes
 * @param logLevel DEBUG, INFO, WARN or ERROR
 * @param logJson whether log lines are JSON
 * @param shutdownGraceTime how long in-flight requests may finish after SIGTERM
 * @param watchdogInterval time between socket checks, zero for none
 * @param stopOnWatchdog exit when the watchdog finds the socket gone
 * @param allowHealthCheck whether the management server (health, metrics) runs
 * @param proxySocketEndpoint Unix socket to listen on instead of TCP
 * @param proxySocketEndpointFileMode octal file mode of that socket
 * @param allowBindMountFrom directories bind-mount sources must lie in
 * @param proxyContainerName the proxy's own container, enabling label allowlists
 * @param dockerLabelPrefix prefix of the allowlist labels
 * @param limits bounds on what a client may send
 * @param containerPolicy container settings refused beyond the rules (all off by default)
 * @param management where the management server (health, metrics) listens when
 * {@code allowHealthCheck} is on
 * @param labels how the label allowlists follow the engine (with {@code proxyContainerName})
 * @param learn learn mode: forward everything and suggest rules from what clients did
 * @param fastPath whether GET and HEAD requests the rules allow outright bypass the
 * gateway's filter chain (same decisions, less CPU); off in learn mode
 * @param redactEnv remove environment values and config data from the engine's inspect
 * answers for clients of the default rules
 * @param allowImages anchored regexes one of which every image a request of the default
 * rules names (container create, pull, build tag) must match, after normalisation
 * @param refuseLatest refuse images tagged {@code latest}, or not tagged at all
 * @param owner the tenant whose objects alone clients of the default rules see and touch:
 * what they create gets the label {@code <docker-label-prefix>.owner=<owner>}
 * @param visibleContainers the containers clients of the default rules may see; all when empty
 */
@ConfigurationProperties("socketproxy")
public record SocketProxyProperties(@DefaultValue("127.0.0.1") String listenIp, @DefaultValue(DEFAULT_PROXY_PORT) int proxyPort,
		@DefaultValue("/var/run/docker.sock") String socketPath, @DefaultValue("127.0.0.1/32") List<String> allowFrom,
		@DefaultValue("10s") Duration allowFromDnsTtl, Map<String, List<String>> allow,
		@DefaultValue List<AccessRules.Profile> profiles, @DefaultValue("false") boolean reportOnly, String rulesFile,
		@DefaultValue("2s") Duration rulesFileCheckInterval,
		@DefaultValue(DEFAULT_LOG_LEVEL) String logLevel, @DefaultValue("false") boolean logJson,
		@DefaultValue(DEFAULT_SHUTDOWN_GRACE_TIME) Duration shutdownGraceTime, @DefaultValue("0s") Duration watchdogInterval,
		@DefaultValue("false") boolean stopOnWatchdog, @DefaultValue("false") boolean allowHealthCheck,
		String proxySocketEndpoint, @DefaultValue("0600") String proxySocketEndpointFileMode,
		List<String> allowBindMountFrom, String proxyContainerName,
		@DefaultValue("socket-proxy") String dockerLabelPrefix, @DefaultValue Limits limits,
		@DefaultValue ContainerPolicy containerPolicy, @DefaultValue Management management,
		@DefaultValue Labels labels, @DefaultValue Learn learn, @DefaultValue("true") boolean fastPath,
		@DefaultValue("false") boolean redactEnv, List<String> allowImages, @DefaultValue("false") boolean refuseLatest,
		String owner, @DefaultValue AccessRules.VisibleContainers visibleContainers) {

	public static final String DEFAULT_PROXY_PORT = "2375";

	public static final String DEFAULT_LOG_LEVEL = "INFO";

	public static final String DEFAULT_SHUTDOWN_GRACE_TIME = "10s";

	/** The log levels the reference accepts, in either case. */
	public static final Set<String> LOG_LEVELS = Set.of("DEBUG", "INFO", "WARN", "ERROR");

	private static final String PREFIX = "socketproxy.";

	public SocketProxyProperties {
		AccessRules rules = new AccessRules(allow, allowBindMountFrom, profiles, redactEnv, allowImages, refuseLatest,
				owner, visibleContainers);
		allow = rules.allow();
		owner = rules.owner();
		allowBindMountFrom = rules.allowBindMountFrom();
		profiles = rules.profiles();
		allowImages = rules.allowImages();
		allowFrom = List.copyOf(allowFrom);
		rulesFile = blankToNull(rulesFile);
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
		require(rulesFileCheckInterval.compareTo(Duration.ofMillis(100)) >= 0, "rules-file-check-interval",
				rulesFileCheckInterval, "must be at least 100ms");
		if (rulesFile != null) {
			require(allow.isEmpty(), "allow", allow, "must not be set together with rules-file " + rulesFile
					+ ": the rules file holds all rules");
			require(allowBindMountFrom.isEmpty(), "allow-bind-mount-from", allowBindMountFrom,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(profiles.isEmpty(), "profiles", profiles.size() + " profiles",
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(!redactEnv, "redact-env", redactEnv,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(allowImages.isEmpty(), "allow-images", allowImages,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(!refuseLatest, "refuse-latest", refuseLatest,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(owner == null, "owner", owner,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
			require(!visibleContainers.limited(), "visible-containers", visibleContainers,
					"must not be set together with rules-file " + rulesFile + ": the rules file holds all rules");
		}
		parseFileMode(proxySocketEndpointFileMode);
		require(!dockerLabelPrefix.isBlank() && dockerLabelPrefix.strip().equals(dockerLabelPrefix), "docker-label-prefix",
				dockerLabelPrefix, "must be a label prefix such as socket-proxy, without spaces around it");
		if (allowHealthCheck) {
			require(management.port() != proxyPort, "management.port", management.port(),
					"must differ from proxy-port: health and metrics never share the proxy's listener");
		}
	}

	/**
	 * Bounds on what a client may send, so that a slow or oversized request costs little
	 * and never reaches the socket. None of them cuts a long response stream or an
	 * upgraded connection.
	 *
	 * @param maxRequestLine longest request line (method, target, version): 414 beyond
	 * @param maxHeaderSize largest request head, all header lines together: 431 beyond
	 * @param maxHeaderCount most header fields in one request: 431 beyond
	 * @param headerTimeout longest time from connecting, or from the end of the previous
	 * response, to the end of the next request head; the connection is closed after it
	 * @param bodyReadTimeout longest pause between two reads of a request body: 408 after
	 * it, or the connection is closed if the response has started
	 * @param maxInspectedBody largest JSON body the proxy reads to check it (bind mounts,
	 * container policy): 413 beyond
	 */
	public record Limits(@DefaultValue("8KB") DataSize maxRequestLine, @DefaultValue("16KB") DataSize maxHeaderSize,
			@DefaultValue("100") int maxHeaderCount, @DefaultValue("30s") Duration headerTimeout,
			@DefaultValue("60s") Duration bodyReadTimeout, @DefaultValue("1MB") DataSize maxInspectedBody) {

		public Limits {
			requirePositive("limits.max-request-line", maxRequestLine);
			requirePositive("limits.max-header-size", maxHeaderSize);
			require(maxHeaderCount > 0, "limits.max-header-count", maxHeaderCount, "must be at least 1");
			require(!headerTimeout.isNegative() && !headerTimeout.isZero(), "limits.header-timeout", headerTimeout, "must be positive");
			require(!bodyReadTimeout.isNegative() && !bodyReadTimeout.isZero(), "limits.body-read-timeout", bodyReadTimeout, "must be positive");
			requirePositive("limits.max-inspected-body", maxInspectedBody);
			require(maxInspectedBody.toBytes() <= Integer.MAX_VALUE - 8, "limits.max-inspected-body", maxInspectedBody,
					"must be below 2GB");
		}

		private static void requirePositive(String key, DataSize size) {
			require(size.toBytes() > 0 && size.toBytes() <= Integer.MAX_VALUE, key, size, "must be from 1B to 2GB");
		}

	}

	/**
	 * Container settings refused on create and update even when the rules allow the
	 * request: each switch is off by default.
	 *
	 * @param refusePrivileged refuse {@code Privileged: true}
	 * @param refuseHostNamespaces refuse the host's PID, IPC, network, UTS, user or cgroup
	 * namespace
	 * @param refuseDevices refuse {@code Devices} and {@code DeviceCgroupRules}
	 * @param restrictCapabilities refuse {@code CapAdd} (and {@code Capabilities}) entries
	 * not in {@code allowedCapabilities}
	 * @param allowedCapabilities capabilities that may be added, e.g. {@code NET_ADMIN}
	 * @param refuseUnconfined refuse {@code SecurityOpt} entries that disable seccomp,
	 * AppArmor, SELinux labels or masked paths, and custom seccomp profiles
	 * @param refuseStartHostConfig refuse {@code /containers/{id}/start} with a body (old
	 * API versions apply a HostConfig sent there)
	 */
	public record ContainerPolicy(@DefaultValue("false") boolean refusePrivileged,
			@DefaultValue("false") boolean refuseHostNamespaces, @DefaultValue("false") boolean refuseDevices,
			@DefaultValue("false") boolean restrictCapabilities, List<String> allowedCapabilities,
			@DefaultValue("false") boolean refuseUnconfined, @DefaultValue("false") boolean refuseStartHostConfig) {

		public ContainerPolicy {
			allowedCapabilities = (allowedCapabilities != null) ? List.copyOf(allowedCapabilities) : List.of();
		}

		/** Whether any switch is on, i.e. whether container bodies need reading at all. */
		public boolean enabled() {
			return this.refusePrivileged || this.refuseHostNamespaces || this.refuseDevices || this.restrictCapabilities
					|| this.refuseUnconfined || this.refuseStartHostConfig;
		}

	}

	/** The rules given in this configuration (empty when a rules file holds them). */
	public AccessRules accessRules() {
		return new AccessRules(this.allow, this.allowBindMountFrom, this.profiles, this.redactEnv, this.allowImages,
				this.refuseLatest, this.owner, this.visibleContainers);
	}

	/** The socket file mode as a number, e.g. {@code 0600} becomes 384. */
	public int proxySocketEndpointFileModeBits() {
		return parseFileMode(this.proxySocketEndpointFileMode);
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

	/**
	 * The management server: Spring Boot Actuator's health and Prometheus endpoints, on a
	 * listener of their own so they are never reachable through the proxy port.
	 *
	 * @param address IP literal the management server binds to
	 * @param port its TCP port (the reference's health port by default)
	 */
	public record Management(@DefaultValue(DEFAULT_ADDRESS) String address, @DefaultValue(DEFAULT_PORT) int port) {

		public static final String DEFAULT_ADDRESS = "127.0.0.1";

		/** The reference's health port. */
		public static final String DEFAULT_PORT = "55555";

		public Management {
			require(IpLiterals.isIpLiteral(address), "management.address", address,
					"must be an IPv4 or IPv6 address, not a hostname");
			require(port >= 1 && port <= 65535, "management.port", port, "must be between 1 and 65535");
		}

	}

	/**
	 * How the per-container rules from Docker labels are kept current.
	 *
	 * @param rescanInterval least time between two rescans caused by callers whose address
	 * no labelled container has, so that unknown callers cannot flood the engine with scans
	 */
	public record Labels(@DefaultValue("2s") Duration rescanInterval) {

		public Labels {
			require(!rescanInterval.isNegative() && !rescanInterval.isZero(), "labels.rescan-interval", rescanInterval,
					"must be positive");
		}

	}

	/**
	 * Learn mode: every request from an allowed client is forwarded whatever the rules
	 * say, and the rules it would have needed are logged (and written to {@code file}).
	 *
	 * @param enabled whether learn mode is on
	 * @param file where the learned rules are written, replaced each time; none if empty
	 */
	public record Learn(@DefaultValue("false") boolean enabled, String file) {

		public Learn {
			file = blankToNull(file);
			require(enabled || file == null, "learn.file", file, "is set but learn mode is off; set learn.enabled=true");
		}

	}

	/** The listen address as an {@link InetAddress}; parsing never does a DNS lookup. */
	public InetAddress listenAddress() {
		return IpLiterals.parse(this.listenIp);
	}

}
