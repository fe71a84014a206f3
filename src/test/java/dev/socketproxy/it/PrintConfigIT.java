package dev.socketproxy.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --print-config} with the packaged jar: the configuration from every source as
 * our YAML on standard output, exit 0, no listener and no socket; the output read back
 * as {@code application.yaml} prints the same; a bad value is the usual one line.
 */
class PrintConfigIT {

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(120);

	@TempDir
	Path dir;

	@Test
	void printsEverySourceAndRoundTrips() throws IOException {
		int port = RunningProxy.freePort();
		Map<String, String> env = Map.of("SOCKETPROXY_PRESET", "tecnativa", "CONTAINERS", "1", "SOCKET_PATH",
				this.dir.resolve("missing.sock").toString(), "SP_LOGLEVEL", "warn", "SOCKETPROXY_LIMITS_HEADERTIMEOUT",
				"5s");
		String printed;
		try (ProxyProcess proxy = ProxyProcess.start(env, "--print-config", "-proxyport=" + port,
				"-allowDELETE=/v1\\.[0-9]+/containers/it's")) {
			assertThat(proxy.waitForExit(EXIT_TIMEOUT)).as(proxy.errors()).isZero();
			printed = proxy.output();
			assertThat(proxy.errors()).isEmpty();
		}
		assertThat(printed).startsWith("socketproxy:\n  listen-ip: '::'\n  proxy-port: " + port + "\n  socket-path: '"
				+ this.dir.resolve("missing.sock") + "'\n");
		assertThat(printed).contains("""
				  allow:
				    DELETE:
				      - '/v1\\.[0-9]+/containers/it''s'
				    GET:
				      - '(/v[0-9.]+)?/containers(/.*)?'
				      - '(/v[0-9.]+)?/events(/.*)?'
				      - '(/v[0-9.]+)?/_ping(/.*)?'
				      - '(/v[0-9.]+)?/version(/.*)?'
				    HEAD:
				""", "  log-level: 'WARN'\n", "    header-timeout: 5s\n", "  proxy-socket-endpoint-file-mode: '0600'\n",
				"  management:\n    address: '127.0.0.1'\n    port: 55555\n");
		assertThat(printed).doesNotContain("INFO", "preset:");
		assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 500))
			.isInstanceOf(IOException.class);

		Path yaml = Files.writeString(this.dir.resolve("application.yaml"), printed);
		try (ProxyProcess again = ProxyProcess.start(Map.of(), "--print-config",
				"--spring.config.location=file:" + yaml)) {
			assertThat(again.waitForExit(EXIT_TIMEOUT)).as(again.errors()).isZero();
			assertThat(again.output()).isEqualTo(printed);
		}
	}

	@Test
	void badPresetSwitchIsOneLineAndExitOne() {
		try (ProxyProcess proxy = ProxyProcess.start(Map.of("SOCKETPROXY_PRESET", "linuxserver", "CONTAINERS", "true"),
				"--print-config")) {
			assertThat(proxy.waitForExit(EXIT_TIMEOUT)).isEqualTo(1);
			assertThat(proxy.output()).isEmpty();
			assertThat(proxy.errors().lines()).singleElement()
				.isEqualTo("socket-proxy: invalid configuration: CONTAINERS='true': must be 0 or 1 (the HAProxy of "
						+ "Tecnativa and linuxserver reads other values as numbers)");
		}
	}

	@Test
	void badValueInThePrintedFileIsOneLineAndExitOne() throws IOException {
		Path yaml = Files.writeString(this.dir.resolve("bad.yaml"), "socketproxy:\n  proxy-port: 0\n");
		try (ProxyProcess proxy = ProxyProcess.start(Map.of(), "--print-config", "--spring.config.location=file:" + yaml)) {
			assertThat(proxy.waitForExit(EXIT_TIMEOUT)).isEqualTo(1);
			assertThat(proxy.output()).isEmpty();
			assertThat(proxy.errors().lines()).singleElement()
				.asString()
				.startsWith("socket-proxy: invalid configuration: socketproxy.proxy-port='0' (from ")
				.endsWith("): must be between 1 and 65535");
		}
	}

}
