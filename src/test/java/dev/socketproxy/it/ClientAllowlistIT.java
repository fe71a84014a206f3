package dev.socketproxy.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may connect is decided by the TCP peer address alone, through the running proxy. */
class ClientAllowlistIT {

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeEach
	void startServer() {
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"));
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void peerOutsideTheAllowlistIsRefusedWhateverHeadersSay() throws Exception {
		try (RunningProxy proxy = start("-allowfrom=10.0.0.0/8,192.168.0.0/16")) {
			HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(proxy.uri("/v1.41/version"))
				.header("X-Forwarded-For", "10.1.2.3")
				.header("X-Real-IP", "10.1.2.3")
				.header("Forwarded", "for=10.1.2.3")
				.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).isEqualTo(403);
			assertThat(response.body()).isEqualTo("Forbidden\n");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
			assertThat(get(proxy.uri("/actuator/health")).statusCode()).isEqualTo(403);
			assertThat(get(proxy.uri("/actuator")).statusCode()).isEqualTo(403);
			assertThat(this.server.requests()).isEmpty();
		}
	}

	@Test
	void defaultAllowsOnlyLoopbackIpv4() throws Exception {
		try (RunningProxy proxy = start()) {
			assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(200);
			assertThat(this.server.requests()).hasSize(1);
		}
	}

	@Test
	void hostnameEntryAllowsItsResolvedAddresses() throws Exception {
		try (RunningProxy proxy = start("-allowfrom=10.0.0.0/8,localhost")) {
			assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(200);
			assertThat(this.server.requests()).extracting(RecordingUnixSocketServer.Recorded::uri)
				.containsExactly("/v1.41/version");
		}
	}

	@Test
	void ipv6ListenerAndAllowlist() throws Exception {
		try (RunningProxy allowed = start("-listenip=::1", "-allowfrom=::1/128")) {
			URI uri = URI.create("http://[::1]:" + allowed.port() + "/v1.41/version");
			assertThat(get(uri).statusCode()).isEqualTo(200);
		}
		try (RunningProxy refused = start("-listenip=::1", "-allowfrom=127.0.0.1/32")) {
			URI uri = URI.create("http://[::1]:" + refused.port() + "/v1.41/version");
			assertThat(get(uri).statusCode()).isEqualTo(403);
		}
		assertThat(this.server.requests()).hasSize(1);
	}

	@Test
	void dualStackListenerMatchesIpv4PeersAgainstIpv4Entries() throws Exception {
		try (RunningProxy proxy = start("-listenip=::", "-allowfrom=127.0.0.1/32")) {
			assertThat(get(proxy.uri("/v1.41/version")).statusCode()).isEqualTo(200);
			assertThat(get(URI.create("http://[::1]:" + proxy.port() + "/v1.41/version")).statusCode()).isEqualTo(403);
		}
		assertThat(this.server.requests()).hasSize(1);
	}

	private RunningProxy start(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "-socketpath=" + this.server.socket();
		all[1] = "-allowGET=/v1\\.41/version";
		System.arraycopy(args, 0, all, 2, args.length);
		return RunningProxy.start(all);
	}

	private HttpResponse<String> get(URI uri) throws Exception {
		return this.client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

}
