package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RecordingUnixSocketServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar, started as a user starts it, with bad configuration from every
 * source (a misspelt {@code socketproxy.*} key among it): one line on stderr naming key,
 * value and source, no stack trace, exit code 1; a socket that does not answer: exit code 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupFailureIT {

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

	private Path dir;

	private RecordingUnixSocketServer server;

	@BeforeAll
	void startServer(@TempDir Path dir) {
		this.dir = dir;
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"));
	}

	@AfterAll
	void stopServer() {
		this.server.close();
	}

	Iterable<Arguments> badConfigurations() throws Exception {
		Path yaml = Files.writeString(Files.createTempFile("bad", ".yaml"),
				"socketproxy:\n  allow-from: [\"10.0.0.0/40\"]\n");
		Path misspeltYaml = Files.writeString(Files.createTempFile("misspelt", ".yaml"),
				"socketproxy:\n  containerPolicy:\n    refusePrivilegd: true\n");
		String socket = "-socketpath=" + this.server.socket();
		return java.util.List.of(
				Arguments.of(Map.of(), new String[] { socket, "--socketproxy.container-policy.refuse-privilegd=true" },
						"socket-proxy: invalid configuration: socketproxy.container-policy.refuse-privilegd='true' (from command-line argument): unknown key; the nearest valid key is socketproxy.container-policy.refuse-privileged"),
				Arguments.of(Map.of("SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD", "true"), new String[] { socket },
						"socket-proxy: invalid configuration: SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGD='true' (from environment variable): unknown key; the nearest valid key is SOCKETPROXY_CONTAINERPOLICY_REFUSEPRIVILEGED"),
				Arguments.of(Map.of("SOCKETPROXY_PROFILES_0_NMAE", "traefik"), new String[] { socket },
						"socket-proxy: invalid configuration: SOCKETPROXY_PROFILES_0_NMAE='traefik' (from environment variable): unknown key; the nearest valid key is SOCKETPROXY_PROFILES_0_NAME"),
				Arguments.of(Map.of(), new String[] { socket, "--spring.config.additional-location=file:" + misspeltYaml },
						"socket-proxy: invalid configuration: socketproxy.containerPolicy.refusePrivilegd='true' (from URL [file:"
								+ misspeltYaml + "] - 3:22): unknown key; the nearest valid key is socketproxy.container-policy.refuse-privileged"),
				Arguments.of(Map.of(), new String[] { socket, "-allowGET=/v1(" },
						"socket-proxy: invalid configuration: socketproxy.allow[GET][0]='/v1(' (from command-line flag -allowGET): not a valid RE2 regular expression: missing closing )"),
				Arguments.of(Map.of(), new String[] { socket, "--socketproxy.allow-images[0]=docker.io/(" },
						"socket-proxy: invalid configuration: socketproxy.allow-images='docker.io/(': not a valid RE2 regular expression: missing closing )"),
				Arguments.of(Map.of(), new String[] { socket, "--socketproxy.owner=a b" },
						"socket-proxy: invalid configuration: socketproxy.owner='a b' (from \"socketproxy.owner\" from property source \"commandLineArgs\"): an owner is 1 to 128 letters, digits, '.', '_' or '-', such as ci-runner-1"),
				Arguments.of(Map.of(), new String[] { socket, "--socketproxy.visible-containers.names[0]=web-(" },
						"socket-proxy: invalid configuration: socketproxy.visible-containers.names='web-(': not a valid RE2 regular expression: missing closing )"),
				Arguments.of(Map.of(), new String[] { socket, "-allowfrom=10.0.0.0/8,nope!" },
						"socket-proxy: invalid configuration: socketproxy.allow-from='nope!' (from command-line flag -allowfrom): neither an IP address, a CIDR nor a hostname"),
				Arguments.of(Map.of(), new String[] { socket, "-listenip=localhost" },
						"socket-proxy: invalid configuration: socketproxy.listen-ip='localhost' (from command-line flag -listenip): must be an IPv4 or IPv6 address, not a hostname"),
				Arguments.of(Map.of(), new String[] { socket, "-proxyport=70000" },
						"socket-proxy: invalid configuration: socketproxy.proxy-port='70000' (from command-line flag -proxyport): must be between 1 and 65535"),
				Arguments.of(Map.of(), new String[] { socket, "-proxysocketendpointfilemode=0999" },
						"socket-proxy: invalid configuration: socketproxy.proxy-socket-endpoint-file-mode='0999' (from command-line flag -proxysocketendpointfilemode): must be an octal mode such as 0600"),
				Arguments.of(Map.of(), new String[] { socket, "-loglevel=TRACE" },
						"socket-proxy: invalid configuration: socketproxy.log-level='TRACE' (from command-line flag -loglevel): must be one of DEBUG, INFO, WARN, ERROR"),
				Arguments.of(Map.of(), new String[] { socket, "-learnfile=/tmp/learned.yaml" },
						"socket-proxy: invalid configuration: socketproxy.learn.file='/tmp/learned.yaml' (from command-line flag -learnfile): is set but learn mode is off; set learn.enabled=true"),
				Arguments.of(Map.of(), new String[] { socket, "-learn", "-learnfile=/nonexistent/learned.yaml" },
						"socket-proxy: invalid configuration: socketproxy.learn.file='/nonexistent/learned.yaml' (from command-line flag -learnfile): its directory does not exist"),
				Arguments.of(Map.of(), new String[] { socket, "-allowPOST" },
						"socket-proxy: invalid configuration: -allowPOST=(empty): flag needs a value"),
				Arguments.of(Map.of(), new String[] { socket, "-allowgET=/x" },
						"socket-proxy: invalid configuration: -allowgET='/x': unknown flag"),
				Arguments.of(Map.of("SOCKETPROXY_PRESET", "tecnativa", "ALLOW_START", "yes"), new String[] { socket },
						"socket-proxy: invalid configuration: ALLOW_START='yes': must be 0 or 1 (the HAProxy of Tecnativa and linuxserver reads other values as numbers)"),
				Arguments.of(Map.of(), new String[] { socket, "-preset=haproxy" },
						"socket-proxy: invalid configuration: socketproxy.preset='haproxy': unknown preset; use tecnativa or linuxserver"),
				Arguments.of(Map.of("SP_PROXYPORT", "23x"), new String[] { socket },
						"socket-proxy: invalid configuration: SP_PROXYPORT='23x': not a whole number from 0 to 2147483647"),
				Arguments.of(Map.of("SOCKETPROXY_PROXYPORT", "abc"), new String[] { socket },
						"socket-proxy: invalid configuration: socketproxy.proxy-port='abc' (from System Environment Property \"SOCKETPROXY_PROXYPORT\"): cannot be read as int (For input string: \"abc\")"),
				Arguments.of(Map.of(), new String[] { socket, "--spring.config.additional-location=file:" + yaml },
						"socket-proxy: invalid configuration: socketproxy.allow-from='10.0.0.0/40' (from class path resource ["));
	}

	@ParameterizedTest
	@MethodSource("badConfigurations")
	void badConfigurationPrintsOneLineAndExitsWithOne(Map<String, String> env, String[] args, String line) {
		try (ProxyProcess proxy = ProxyProcess.start(env, args)) {
			int exitCode = proxy.waitForExit(EXIT_TIMEOUT);

			assertThat(exitCode).as(proxy.errors()).isEqualTo(1);
			assertThat(proxy.errors().lines()).as(proxy.errors()).singleElement().satisfies((only) -> {
				if (line.endsWith("[")) {
					assertThat(only).startsWith(line.substring(0, line.indexOf(" (from"))).contains(": prefix length must be 0 to 32");
				}
				else {
					assertThat(only).isEqualTo(line);
				}
			});
			assertThat(proxy.output()).doesNotContain("Exception", "\tat ", "APPLICATION FAILED");
		}
	}

	@Test
	void missingSocketExitsWithTwo() {
		try (ProxyProcess proxy = ProxyProcess.start(Map.of(), "-socketpath=" + this.dir.resolve("missing.sock"),
				"-allowGET=/x")) {
			assertThat(proxy.waitForExit(EXIT_TIMEOUT)).isEqualTo(2);
			assertThat(proxy.errors().lines()).singleElement()
				.isEqualTo("socket-proxy: socket not available: " + this.dir.resolve("missing.sock")
						+ " (No such file or directory)");
		}
	}

}
