package dev.socketproxy.it;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RecordingUnixSocketServer.Recorded;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path ({@code GET} and {@code HEAD} the rules allow outright, forwarded without
 * the gateway's filter chain) behaves like the gateway: the same headers reach the
 * socket and the client, responses stay in order when both paths serve one connection,
 * and each client connection keeps one socket connection of its own.
 */
class FastPathIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	private static final String HOSTILE_HEADERS = "Forwarded: for=1.2.3.4\r\nX-Forwarded-For: 1.2.3.4\r\n"
			+ "X-Forwarded-Host: evil\r\nX-Real-IP: 9.9.9.9\r\nProxy-Authorization: Basic eA==\r\n"
			+ "Keep-Alive: 300\r\nTE: trailers\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
			+ "Proxy-Connection: keep-alive\r\nTrailer: X-T\r\nUser-Agent: fast-path-test\r\nX-Custom: kept\r\n"
			// Reactor Netty's client adds Accept: */* to a request without one; the fast path does not.
			+ "Accept: application/json\r\n";

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	@AfterEach
	void stop() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		this.server.close();
	}

	private void start(String... extra) {
		this.server = RecordingUnixSocketServer.start(this.dir.resolve("upstream.sock"),
				(request, response) -> response.header("Content-Type", "text/plain")
					.header("Connection", "X-Hop-Back")
					.header("X-Hop-Back", "1")
					.header("Keep-Alive", "timeout=5")
					.header("Proxy-Authenticate", "Basic")
					.header("X-Upstream", "yes")
					.sendString(Mono.just(request.method().name() + " " + request.uri()))
					.then());
		String[] args = { "-socketpath=" + this.server.socket(), "-allowGET=/v1\\.41/(version|info)",
				"-allowHEAD=/v1\\.41/version", "-allowPOST=/v1\\.41/containers/create" };
		String[] all = Arrays.copyOf(args, args.length + extra.length);
		System.arraycopy(extra, 0, all, args.length, extra.length);
		this.proxy = RunningProxy.start(all);
	}

	@Test
	void theSocketAndTheClientSeeTheSameHeadersAsThroughTheGateway() {
		start();
		RawHttp.Response fast = single("GET /v1.41/version?a=b HTTP/1.1\r\nHost: proxy\r\n" + HOSTILE_HEADERS + "\r\n");
		RawHttp.Response gateway = single(
				"POST /v1.41/containers/create?a=b HTTP/1.1\r\nHost: proxy\r\nContent-Length: 0\r\n" + HOSTILE_HEADERS
						+ "\r\n");

		assertThat(fast.status()).isEqualTo(200);
		assertThat(fast.body()).isEqualTo("GET /v1.41/version?a=b");
		assertThat(gateway.status()).isEqualTo(200);
		List<Recorded> recorded = this.server.requests();
		assertThat(recorded).extracting(Recorded::method).containsExactly("GET", "POST");
		Map<String, String> fastHeaders = headers(recorded.get(0));
		assertThat(fastHeaders).containsEntry("x-custom", "kept")
			.containsEntry("host", "proxy")
			.doesNotContainKeys("x-forwarded-for", "x-forwarded-host", "forwarded", "connection", "x-hop", "keep-alive",
					"te", "trailer", "proxy-authorization");
		assertThat(fastHeaders).isEqualTo(withoutBodyFraming(headers(recorded.get(1))));
		assertThat(responseHeaders(fast)).containsEntry("x-upstream", "yes")
			.doesNotContainKeys("x-hop-back", "keep-alive", "proxy-authenticate", "connection")
			.isEqualTo(responseHeaders(gateway));
	}

	/** The gateway's setting replaces its list of hop-by-hop headers: the fast path follows it. */
	/**
	 * The gateway binds this setting into its static default set in place
	 * ({@code compat.HopByHopDefaultsCanaryTest}): the defaults are put back afterwards, or
	 * every later proxy in this JVM would pass the socket's {@code Transfer-Encoding} on.
	 */
	@Test
	void theGatewaysHopByHopHeadersSettingAppliesToTheFastPathToo() {
		Set<String> defaults = Set.copyOf(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST);
		try {
			hopByHopHeadersSettingApplies();
		}
		finally {
			this.proxy.close();
			this.proxy = null;
			RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.clear();
			RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.addAll(defaults);
		}
	}

	private void hopByHopHeadersSettingApplies() {
		start("--spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers=connection,x-internal");
		String headers = "X-Internal: 1\r\nKeep-Alive: 300\r\nX-Custom: kept\r\nAccept: application/json\r\n"
				+ "User-Agent: fast-path-test\r\n";
		RawHttp.Response fast = single("GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n" + headers + "\r\n");
		RawHttp.Response gateway = single(
				"POST /v1.41/containers/create HTTP/1.1\r\nHost: proxy\r\nContent-Length: 0\r\n" + headers + "\r\n");

		assertThat(fast.status()).isEqualTo(200);
		assertThat(gateway.status()).isEqualTo(200);
		List<Recorded> recorded = this.server.requests();
		assertThat(recorded).extracting(Recorded::method).containsExactly("GET", "POST");
		Map<String, String> fastHeaders = headers(recorded.get(0));
		assertThat(fastHeaders).containsEntry("x-custom", "kept")
			.containsEntry("keep-alive", "300")
			.doesNotContainKey("x-internal");
		assertThat(fastHeaders).isEqualTo(withoutBodyFraming(headers(recorded.get(1))));
	}

	@Test
	void pipelinedRequestsAreAnsweredInOrderWhicheverPathServesThem() {
		start();
		String get = "GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n";
		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(), RawHttp.bytes(get
				+ "GET /v1.41/images/json HTTP/1.1\r\nHost: proxy\r\n\r\n"
				+ "POST /v1.41/containers/create HTTP/1.1\r\nHost: proxy\r\nContent-Length: 2\r\n\r\n{}"
				+ "GET /v1.41/info HTTP/1.1\r\nHost: proxy\r\n\r\n" + "DELETE /v1.41/info HTTP/1.1\r\nHost: proxy\r\n\r\n"
				+ get), 6, 5000);

		assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 403, 200, 200, 405, 200);
		assertThat(responses.get(0).body()).isEqualTo("GET /v1.41/version");
		assertThat(responses.get(2).body()).isEqualTo("POST /v1.41/containers/create");
		assertThat(responses.get(3).body()).isEqualTo("GET /v1.41/info");
		assertThat(responses.get(5).body()).isEqualTo("GET /v1.41/version");
		assertThat(this.server.requests()).extracting((recorded) -> recorded.method() + " " + recorded.uri())
			.containsExactly("GET /v1.41/version", "POST /v1.41/containers/create", "GET /v1.41/info",
					"GET /v1.41/version");
	}

	@Test
	void eachClientConnectionKeepsOneSocketConnectionOfItsOwn() {
		start();
		String three = "GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n".repeat(3);
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes(three), 3, 5000)).hasSize(3);
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes(three), 3, 5000)).hasSize(3);

		List<String> connections = this.server.requests().stream().map(Recorded::connection).toList();
		assertThat(connections).hasSize(6);
		assertThat(connections.subList(0, 3)).containsOnly(connections.get(0));
		assertThat(connections.subList(3, 6)).containsOnly(connections.get(3));
		assertThat(connections.get(3)).isNotEqualTo(connections.get(0));
		assertThat(this.server.requests()).as("forwarded as sent: nothing added, unlike through the gateway")
			.allSatisfy((recorded) -> assertThat(recorded.headers().contains("Accept")).isFalse());
	}

	@Test
	void headAndConnectionCloseAreHonoured() throws Exception {
		start();
		HttpResponse<String> head = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(this.proxy.uri("/v1.41/version")).method("HEAD", HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.body()).isEmpty();

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(),
				RawHttp.bytes("GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n"
						+ "GET /v1.41/info HTTP/1.1\r\nHost: proxy\r\n\r\n"),
				2, 5000);
		assertThat(responses).as("the connection closes after the first answer").hasSize(1);
		assertThat(responses.get(0).head().toLowerCase(Locale.ROOT)).contains("connection: close");
	}

	@Test
	void switchedOffEveryRequestTakesTheGatewayAndStillPasses() {
		start("--socketproxy.fast-path=false");
		String three = "GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n".repeat(3);
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes(three), 3, 5000))
			.extracting(RawHttp.Response::status)
			.containsExactly(200, 200, 200);
		assertThat(RawHttp.exchange(this.proxy.port(), RawHttp.bytes(three), 3, 5000)).hasSize(3);
		assertThat(this.server.requests()).as("every request went through the gateway's HTTP client, which adds Accept")
			.allSatisfy((recorded) -> assertThat(recorded.headers().get("Accept")).isEqualTo("*/*"));
	}

	@Test
	void proxyHeadersTurnedOnInTheGatewayReachTheSocketOnEveryRequest() {
		start("--spring.cloud.gateway.server.webflux.x-forwarded.enabled=true",
				"--spring.cloud.gateway.server.webflux.trusted-proxies=127\\.0\\.0\\.1");
		assertThat(single("GET /v1.41/version HTTP/1.1\r\nHost: proxy\r\n\r\n").status()).isEqualTo(200);
		assertThat(this.server.requests()).singleElement()
			.satisfies((recorded) -> assertThat(recorded.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1"));
	}

	private RawHttp.Response single(String request) {
		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(), RawHttp.bytes(request), 1, 5000);
		assertThat(responses).hasSize(1);
		return responses.get(0);
	}

	private static Map<String, String> headers(Recorded recorded) {
		return recorded.headers()
			.entries()
			.stream()
			.collect(Collectors.toMap((entry) -> entry.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue,
					(a, b) -> a + "," + b, TreeMap::new));
	}

	private static Map<String, String> withoutBodyFraming(Map<String, String> headers) {
		Map<String, String> copy = new TreeMap<>(headers);
		copy.remove("content-length");
		copy.remove("transfer-encoding");
		return copy;
	}

	private static Map<String, String> responseHeaders(RawHttp.Response response) {
		Map<String, String> headers = new TreeMap<>();
		for (String line : response.head().split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		headers.remove("content-length");
		headers.remove("transfer-encoding");
		return headers;
	}

}
