package dev.socketproxy.health;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** The image's health check: exit 0 only for a 200 from the health path. */
class HealthCheckCommandTest {

	private final AtomicInteger status = new AtomicInteger(200);

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private HttpServer server;

	@BeforeEach
	void start() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/health", (exchange) -> {
			exchange.sendResponseHeaders(this.status.get(), -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void isSelectedOnlyByItsOwnArgument() {
		assertThat(HealthCheckCommand.isRequested(new String[] { "--healthcheck" })).isTrue();
		assertThat(HealthCheckCommand.isRequested(new String[] { "--healthcheck=http://127.0.0.1:1/health" })).isTrue();
		assertThat(HealthCheckCommand.isRequested(new String[] { "--healthcheckx" })).isFalse();
		assertThat(HealthCheckCommand.isRequested(new String[] { "-allowhealthcheck" })).isFalse();
		assertThat(HealthCheckCommand.isRequested(new String[] { "--healthcheck", "-loglevel=DEBUG" })).isFalse();
	}

	@Test
	void healthyIsExitZeroUnhealthyIsExitOne() {
		String url = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/health";

		assertThat(run("--healthcheck=" + url, Map.of())).isZero();
		this.status.set(503);
		assertThat(run("--healthcheck=" + url, Map.of())).isEqualTo(1);
		assertThat(output()).contains("socket-proxy: health check " + url + ": 200",
				"socket-proxy: health check " + url + ": 503");
	}

	@Test
	void defaultsToTheManagementPortOnLoopback() {
		String port = Integer.toString(this.server.getAddress().getPort());

		assertThat(run("--healthcheck", Map.of("SOCKETPROXY_MANAGEMENT_PORT", port))).isZero();
		assertThat(output()).contains("http://127.0.0.1:" + port + "/health: 200");
	}

	@Test
	void nothingListeningIsExitOne() {
		int port = RunningProxy.freePort();

		assertThat(run("--healthcheck=http://127.0.0.1:" + port + "/health", Map.of())).isEqualTo(1);
		assertThat(output()).contains("Connection refused");
	}

	private int run(String argument, Map<String, String> env) {
		return HealthCheckCommand.run(argument, env, new PrintStream(this.out, true, StandardCharsets.UTF_8));
	}

	private String output() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

}
