package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client profiles through the running proxy: each request is judged by the first
 * profile whose clients fit the TCP peer (clients connect from different loopback
 * addresses), else by the default rules of {@code allow-from}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientProfilesIT {

	private static final String PROFILES = """
			socketproxy:
			  allow-from: [127.0.0.5/32]
			  allow:
			    GET: ['/v1\\.[0-9]+/version']
			  profiles:
			    - name: traefik
			      clients: [127.0.0.2]
			      allow:
			        GET: ['/v1\\.[0-9]+/(version|containers/json|events)']
			    - name: watchtower
			      clients: [127.0.0.3/32, 127.0.0.2]
			      allow:
			        GET: ['/v1\\.[0-9]+/containers/json']
			        POST: ['/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/restart']
			    - name: dashboard
			      clients: [localhost]
			      allow:
			        GET: ['/v1\\.[0-9]+/info']
			""";

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeEach
	void start() throws Exception {
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"));
		Path yaml = Files.writeString(this.dir.resolve("profiles.yaml"), PROFILES);
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socket(),
				"--spring.config.additional-location=file:" + yaml);
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.close();
	}

	@Test
	void eachPeerIsJudgedByTheFirstProfileThatFitsIt(CapturedOutput output) {
		assertThat(status("127.0.0.2", "GET", "/v1.41/containers/json")).isEqualTo(200);
		assertThat(status("127.0.0.2", "GET", "/v1.41/events")).isEqualTo(200);
		assertThat(status("127.0.0.2", "POST", "/v1.41/containers/web/restart"))
			.as("127.0.0.2 is in watchtower too, but traefik comes first").isEqualTo(405);
		assertThat(status("127.0.0.3", "POST", "/v1.41/containers/web/restart")).isEqualTo(200);
		assertThat(status("127.0.0.3", "GET", "/v1.41/version")).isEqualTo(403);
		assertThat(status("127.0.0.1", "GET", "/v1.41/info")).as("localhost resolves to 127.0.0.1").isEqualTo(200);
		assertThat(status("127.0.0.1", "GET", "/v1.41/version")).isEqualTo(403);
		assertThat(status("127.0.0.5", "GET", "/v1.41/version")).as("allow-from gets the default rules").isEqualTo(200);
		assertThat(status("127.0.0.5", "GET", "/v1.41/info")).isEqualTo(403);
		assertThat(status("127.0.0.4", "GET", "/v1.41/version")).as("in no profile and not in allow-from").isEqualTo(403);

		assertThat(this.server.requests()).extracting((r) -> r.method() + " " + r.uri())
			.containsExactly("GET /v1.41/containers/json", "GET /v1.41/events", "POST /v1.41/containers/web/restart",
					"GET /v1.41/info", "GET /v1.41/version");
		assertThat(output.getOut()).contains("method=\"POST\" path=\"/v1.41/containers/web/restart\" client=\"127.0.0.2:")
			.containsPattern("blocked request method=\"GET\" path=\"/v1.41/version\" client=\"127.0.0.3:[0-9]+\""
					+ " rules=\"watchtower\" reason=\"path not allowed\" status=\"403\"")
			.containsPattern("blocked request method=\"GET\" path=\"/v1.41/version\" client=\"127.0.0.4:[0-9]+\" reason=\"forbidden IP\"");
	}

	@Test
	void theStartupLogHasATableForEachProfileInOrder(CapturedOutput output) {
		String log = output.getOut();
		int traefik = log.indexOf("client rules rules=\"traefik\" clients=\"127.0.0.2/32\"");
		int watchtower = log.indexOf("client rules rules=\"watchtower\" clients=\"127.0.0.3/32,127.0.0.2/32\"");
		int dashboard = log.indexOf("client rules rules=\"dashboard\" clients=\"localhost\"");
		int defaults = log.indexOf("client rules rules=\"default\" clients=\"127.0.0.5/32\"");
		assertThat(traefik).isPositive().isLessThan(watchtower);
		assertThat(watchtower).isLessThan(dashboard);
		assertThat(dashboard).isLessThan(defaults);
		assertThat(log).contains("allow rules=\"watchtower\" method=\"POST\" rule=\"^(?:/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/restart)$\"");
	}

	private int status(String from, String method, String path) {
		byte[] request = RawHttp.bytes(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
				+ "Connection: close\r\n\r\n");
		return RawHttp.exchangeFrom(from, this.proxy.port(), request, 1, 10_000).get(0).status();
	}

}
