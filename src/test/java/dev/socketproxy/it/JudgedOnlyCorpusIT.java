package dev.socketproxy.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacker who holds one allowed rule, probe by probe: each probe is written byte for
 * byte on a fresh TCP connection, to the fast path and to the gateway, against a socket
 * server that parses everything it gets as dockerd would. Each probe states the exact
 * statuses the client reads (and, where it matters, that the connection then closes), and
 * {@link JudgedOnly} checks that every request the socket parsed was allowed, for this
 * client, exactly once. Most probes carry a request the rules do not allow behind the
 * one they try: if it reaches the socket, it is a recorded request without a decision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JudgedOnlyCorpusIT {

	/** Every probe reads all it expects before it ends: a short quiet period is enough. */
	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly(Duration.ofMillis(30));

	private static final String VERSION = "/v1.41/version";

	/** A request the rules do not allow: the image list. */
	private static final String IMAGES = "GET /v1.41/images/json HTTP/1.1\r\nHost: x\r\n\r\n";

	private static final String PRIVILEGED_BODY = "{\"Image\":\"mini\",\"HostConfig\":{\"Binds\":[\"/:/host\"],\"Privileged\":true}}";

	/** A request the rules do not allow: a container with the host's root mounted. */
	private static final String CREATE = "POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
			+ "Content-Type: application/json\r\nContent-Length: " + PRIVILEGED_BODY.length() + "\r\n\r\n" + PRIVILEGED_BODY;

	private static final Map<String, String> UNJUDGED = Map.of("images", IMAGES, "privileged create", CREATE);

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy fastPath;

	private RunningProxy gateway;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("judged-only");
		this.server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"), RawUnixSocketServer.dockerLike());
		String[] rules = { "-socketpath=" + this.server.socketPath(),
				"-allowGET=/_ping|/v1\\.41/(version|containers/[^/]+/(json|attach/ws))",
				"-allowPOST=/v1\\.41/(containers/[^/]+/(wait|attach)|exec/[^/]+/start)",
				"--socketproxy.limits.max-request-line=2KB", "--socketproxy.limits.max-header-size=4KB" };
		this.fastPath = RunningProxy.start(rules);
		String[] gatewayOnly = Arrays.copyOf(rules, rules.length + 1);
		gatewayOnly[rules.length] = "--socketproxy.fast-path=false";
		this.gateway = RunningProxy.start(gatewayOnly);
	}

	@AfterAll
	void stop() throws Exception {
		this.fastPath.close();
		this.gateway.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	static Stream<Arguments> probes() {
		List<Probe> probes = corpus();
		return Stream.of("fast path", "gateway").flatMap((path) -> probes.stream().map((probe) -> Arguments.of(path, probe)));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("probes")
	void theSocketReceivesOnlyWhatWasJudged(String path, Probe probe) {
		RunningProxy proxy = path.equals("fast path") ? this.fastPath : this.gateway;
		try (RawHttp.Conversation client = RawHttp.open(proxy.port(), 3000)) {
			judgedOnly.fromClients(client.localPort());
			client.write(RawHttp.bytes(probe.request()));

			List<Integer> statuses = new ArrayList<>();
			while (statuses.size() < probe.statuses().size()) {
				RawHttp.Response response = client.next();
				if (response == null) {
					break;
				}
				if (response.status() >= 200 || response.status() == 101) {
					statuses.add(response.status());
				}
			}
			assertThat(statuses).as(path + ", " + probe + ": statuses the client read").isEqualTo(probe.statuses());
			if (probe.echoed() != null) {
				assertThat(client.bytes(probe.echoed().length())).as(path + ", " + probe + ": the stream after the 101").isEqualTo(probe.echoed());
				client.shutdownOutput();
			}
			RawHttp.Response more = (probe.end() != End.OPEN) ? client.next() : null;
			if (probe.end() == End.CLOSES) {
				assertThat(more).as(path + ", " + probe + ": an answer where the connection must close").isNull();
			}
			if (more != null) {
				assertThat(more.status()).as(path + ", " + probe + ": the bytes behind it, refused by the proxy").isBetween(400, 499);
				assertThat(more.head()).as(path + ", " + probe + ": the refusal is the proxy's, not the engine's")
					.doesNotContain("Api-Version");
			}
			else if (probe.end() != End.OPEN) {
				assertThat(client.closedByPeer()).as(path + ", " + probe + ": the proxy closes the connection").isTrue();
			}
		}
	}

	static List<Probe> corpus() {
		List<Probe> probes = new ArrayList<>();
		targets(probes);
		methods(probes);
		framing(probes);
		pipelining(probes);
		upgrades(probes);
		h2cOffers(probes);
		bodies(probes);
		return probes;
	}

	/** Non-canonical targets: refused, never repaired, whatever follows them. */
	private static void targets(List<Probe> probes) {
		for (String target : List.of("/v1.41/containers/../version", "/v1.41/containers/./abc/json",
				"/v1.41/containers/%2e%2e/version", "/v1.41/containers/%2E%2E/version", "/v1.41/containers/.%2e/version",
				"/v1.41/%2e/version", "/v1.41/containers/abc%2Fjson", "/v1.41/containers/abc%2fjson",
				"/v1.41/containers/abc%5Cjson", "/v1.41/containers/abc%5cjson", "//v1.41/version", "/v1.41//version",
				"/v1.41/version/", "/v1.41/version%00", "/v1.41/version%0d%0aX-Injected:%201", "/v1.41/version%7f",
				"/v1.41/version%zz", "/v1.41/version%2", "/v1.41/version%", "/v1.41/containers/%c0%ae%c0%ae/json",
				"/v1.41/version%ff", "/v1.41/version#fragment", "/v1.41/version?all=1#fragment",
				"/v1.41/containers/abc/json?x=%zz", "http://127.0.0.1/v1.41/version", "http://docker/v1.41/version",
				"HTTP://docker/v1.41/version", "v1.41/version", "/v1.41/containers/a\\..\\version", "/v1.41/ver\tsion",
				"/v1.41/containers/\u00e9/json", "/v1.41/containers/\u00c3\u00a9/json", "/v1.41/containers/\u00ff\u00fe/json",
				"/v1.41/containers/a\u0001b/json", "/v1.41/containers/a\u007fb/json", "/v1.41/containers/a\u0000b/json")) {
			probes.add(Probe.refusedThenJudged("target " + target, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 400));
		}
		probes.add(Probe.refusedThenJudged("asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("authority-form", "CONNECT 127.0.0.1:2375 HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("overlong request line",
				"GET /v1.41/containers/" + "a".repeat(3000) + "/json HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 414));
		probes.add(Probe.refusedThenJudged("overlong head",
				"GET " + VERSION + " HTTP/1.1\r\nHost: x\r\nX-Pad: " + "a".repeat(6000) + "\r\n\r\n" + IMAGES, 431));
		probes.add(Probe.kept("canonical target behind which an unjudged request waits",
				"GET /v1.41/containers/web%20one/json HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 200, 403));
	}

	/** Methods are judged as sent, case included; overrides never change them. */
	private static void methods(List<Probe> probes) {
		for (String method : List.of("get", "Get", "gET", "FOO", "DELETE", "PUT", "PATCH", "TRACE", "OPTIONS", "HEADX")) {
			probes.add(Probe.kept("method " + method, method + " " + VERSION + " HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 405,
					403));
		}
		for (String override : List.of("X-HTTP-Method-Override: POST", "X-HTTP-Method: DELETE", "X-Method-Override: PUT")) {
			probes.add(Probe.refusedThenJudged("override " + override,
					"GET " + VERSION + " HTTP/1.1\r\nHost: x\r\n" + override + "\r\n\r\n" + IMAGES, 400));
		}
		// RFC 9112 3: a recipient may split the request line on whitespace; what is forwarded is what was judged
		probes.add(Probe.kept("method with a tab", "GET\t" + VERSION + " HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 200, 403));
		probes.add(Probe.kept("two spaces after the method", "GET  " + VERSION + " HTTP/1.1\r\nHost: x\r\n\r\n" + IMAGES, 200,
				403));
	}

	/**
	 * Framing a body two parsers could read differently, on an allowed POST whose body the
	 * proxy does not inspect; the body hides the unjudged requests.
	 */
	private static void framing(List<Probe> probes) {
		String wait = "POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\n";
		String hidden = "0\r\n\r\n" + IMAGES + CREATE;
		String length = "Content-Length: " + hidden.length() + "\r\n";
		probes.add(Probe.refusedThenJudged("Content-Length and chunked",
				wait + length + "Transfer-Encoding: chunked\r\n\r\n" + hidden + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("chunked and Content-Length",
				wait + "Transfer-Encoding: chunked\r\n" + length + "\r\n" + hidden + IMAGES, 400));
		for (String encoding : List.of("chunked, identity", "identity, chunked", "gzip, chunked", "chunked, chunked",
				"xchunked", "chunkedx", "identity", "chunked\r\nTransfer-Encoding: chunked", "chunked\r\nTransfer-Encoding: identity",
				"\"chunked\"", "chunked;q=1", "chunk")) {
			probes.add(Probe.refusedThenJudged("Transfer-Encoding " + encoding.replace("\r\n", " | "),
					wait + "Transfer-Encoding: " + encoding + "\r\n" + length + "\r\n" + hidden + IMAGES, 400));
		}
		for (String header : List.of("Transfer-Encoding : chunked", "Transfer-Encoding\t: chunked", " Transfer-Encoding: chunked",
"Transfer-Encoding: chunked\r\n identity", "Content-Length: 2, 2",
				"Content-Length: +2", "Content-Length: -2", "Content-Length: 0x2", "Content-Length: 2 2",
				"Content-Length: 2\r\nContent-Length: 2", "Content-Length: 2\r\nContent-Length: 40",
				"Content-Length: 2\r\n 0", "X-A: a\u0000b", "X-A: a\rb", "Bad Header: x", "NoColon")) {
			probes.add(Probe.refusedThenJudged("header " + header.replace("\r\n", " | "),
					wait + header + "\r\n\r\n{}" + IMAGES + CREATE, 400));
		}
		probes.add(new Probe("Transfer_Encoding is another header: no body, and what follows is no request",
				wait + "Transfer_Encoding: chunked\r\n\r\n{}" + IMAGES, List.of(200), End.CLOSES_OR_JUDGES, null));
		probes.add(Probe.kept("Content-Length with spaces around it", wait + "Content-Length:  2 \r\n\r\n{}" + IMAGES, 200, 403));
		probes.add(Probe.kept("Transfer-Encoding in upper case", wait + "Transfer-Encoding: CHUNKED\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
				+ IMAGES, 200, 403));
		probes.add(Probe.kept("a body that is a request", wait + "Content-Length: " + IMAGES.length() + "\r\n\r\n" + IMAGES
				+ IMAGES, 200, 403));
		probes.add(Probe.kept("obsolete line folding in another header",
				"GET " + VERSION + " HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" + IMAGES, 200, 403));
		probes.add(Probe.refusedThenJudged("bare LF line endings", "GET " + VERSION + " HTTP/1.1\nHost: x\n\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("bare CR line endings", "GET " + VERSION + " HTTP/1.1\rHost: x\r\r" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("two Host headers", "GET " + VERSION + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + IMAGES,
				400));
		probes.add(Probe.refusedThenJudged("no Host", "GET " + VERSION + " HTTP/1.1\r\n\r\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("HTTP/2.0 request line", "GET " + VERSION + " HTTP/2.0\r\nHost: x\r\n\r\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("HTTP/0.9", "GET " + VERSION + "\r\n\r\n" + IMAGES, 400));
		probes.add(Probe.refusedThenJudged("h2c prior knowledge", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + IMAGES, 400));
	}

	/** A second request on the same connection is judged on its own, whatever came before. */
	private static void pipelining(List<Probe> probes) {
		Map<String, String> first = Map.of("allowed GET", "GET " + VERSION + " HTTP/1.1\r\nHost: x\r\n\r\n",
				"allowed GET with a query", "GET /v1.41/containers/abc/json?size=1 HTTP/1.1\r\nHost: x\r\n\r\n",
				"allowed POST with Content-Length 0",
				"POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
				"allowed POST with a body", "POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
				"allowed POST chunked",
				"POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
				"allowed POST without a length", "POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\n\r\n");
		Map<String, String> refused = Map.of("path not allowed", "GET /v1.41/secrets HTTP/1.1\r\nHost: x\r\n\r\n",
				"method not allowed", "DELETE " + VERSION + " HTTP/1.1\r\nHost: x\r\n\r\n",
				"POST not allowed with a body", "POST /v1.41/secrets/create HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
		first.forEach((name, request) -> UNJUDGED.forEach((unjudged, next) -> probes
			.add(Probe.kept(unjudged + " behind an " + name, request + next + request, 200, 403, 200))));
		refused.forEach((name, request) -> UNJUDGED.forEach((unjudged, next) -> probes.add(Probe.kept(
				unjudged + " behind a " + name, request + next + first.get("allowed GET"),
				name.startsWith("method") ? 405 : 403, 403, 200))));
		probes.add(Probe.kept("ten allowed, then an unjudged one",
				first.get("allowed GET").repeat(10) + IMAGES, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403));
	}

	/**
	 * Every way to ask for an upgrade, on every class of endpoint, each followed in the same
	 * packet by a request the rules do not allow: only a hijacked endpoint answered 101
	 * becomes a stream (and echoes it); any other answer ends the connection or leaves it
	 * judged HTTP.
	 */
	private static void upgrades(List<Probe> probes) {
		Map<String, String> variants = new LinkedHashMap<>();
		variants.put("Upgrade: tcp", "Connection: Upgrade\r\nUpgrade: tcp\r\n");
		variants.put("Upgrade: TCP", "Connection: Upgrade\r\nUpgrade: TCP\r\n");
		variants.put("Upgrade: websocket", "Connection: Upgrade\r\nUpgrade: websocket\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
		variants.put("lower case", "connection: upgrade\r\nupgrade: tcp\r\n");
		variants.put("Connection: keep-alive, Upgrade", "Connection: keep-alive, Upgrade\r\nUpgrade: tcp\r\n");
		variants.put("chunked body", "Connection: Upgrade\r\nUpgrade: tcp\r\n");
		for (Map.Entry<String, String> variant : variants.entrySet()) {
			boolean chunked = variant.getKey().equals("chunked body");
			// attach and exec start switch to tcp, attach/ws to websocket, session to h2c
			// (HijackedEndpoints); another protocol there is no upgrade but a plain request
			boolean websocket = variant.getKey().equals("Upgrade: websocket");
			for (Map.Entry<String, String> unjudged : UNJUDGED.entrySet()) {
				String name = variant.getKey() + ", then " + unjudged.getKey() + ", on ";
				String next = unjudged.getValue();
				String attach = upgrade("POST", "/v1.41/containers/abc/attach?stream=1&stdin=1&stdout=1", variant.getValue(),
						chunked);
				String exec = upgrade("POST", "/v1.41/exec/abc/start", variant.getValue(), chunked);
				String attachWs = upgrade("GET", "/v1.41/containers/abc/attach/ws?stream=1", variant.getValue(), chunked);
				String missingAttach = upgrade("POST", "/v1.41/containers/missing1/attach?stream=1&stdin=1",
						variant.getValue(), chunked);
				String missingExec = upgrade("POST", "/v1.41/exec/missing1/start", variant.getValue(), chunked);
				probes.add(Probe.kept(name + "an allowed GET", upgrade("GET", VERSION, variant.getValue(), chunked) + next, 200,
						403));
				probes.add(Probe.kept(name + "an allowed POST", upgrade("POST", "/v1.41/containers/abc/wait", variant.getValue(),
						chunked) + next, 200, 403));
				probes.add(websocket ? Probe.kept(name + "attach, not its protocol", attach + next, 200, 403)
						: Probe.switched(name + "attach answered 101", attach, next));
				probes.add(websocket ? Probe.kept(name + "exec start, not its protocol", exec + next, 200, 403)
						: Probe.switched(name + "exec start answered 101", exec, next));
				probes.add(websocket ? Probe.switched(name + "attach/ws answered 101", attachWs, next)
						: Probe.kept(name + "attach/ws, not its protocol", attachWs + next, 200, 403));
				probes.add(websocket ? Probe.kept(name + "attach answered 404, not its protocol", missingAttach + next, 404, 403)
						: Probe.refused(name + "attach answered 404", missingAttach + next, 404));
				probes.add(websocket ? Probe.kept(name + "exec start answered 404, not its protocol", missingExec + next, 404, 403)
						: Probe.refused(name + "exec start answered 404", missingExec + next, 404));
				probes.add(Probe.kept(name + "a refused hijack endpoint, not its protocol",
						upgrade("POST", "/v1.41/session", variant.getValue(), chunked) + next, 403, 403));
				probes.add(Probe.kept(name + "a refused endpoint",
						upgrade("GET", "/v1.41/images/json", variant.getValue(), chunked) + next, 403, 403));
			}
		}
	}

	/**
	 * An h2c offer is no upgrade to a socket proxy (it speaks HTTP/1.1 only): it is answered
	 * as plain HTTP, and the connection stays judged HTTP.
	 */
	private static void h2cOffers(List<Probe> probes) {
		String h2c = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n";
		for (Map.Entry<String, String> unjudged : UNJUDGED.entrySet()) {
			String name = "Upgrade: h2c, then " + unjudged.getKey() + ", on ";
			String next = unjudged.getValue();
			probes.add(Probe.kept(name + "an allowed GET", upgrade("GET", VERSION, h2c, false) + next, 200, 403));
			probes.add(Probe.kept(name + "an allowed POST", upgrade("POST", "/v1.41/containers/abc/wait", h2c, false) + next,
					200, 403));
			probes.add(Probe.refusedThenJudged(name + "attach answered 404",
					upgrade("POST", "/v1.41/containers/missing1/attach?stream=1", h2c, false) + next, 404));
			probes.add(Probe.refusedThenJudged(name + "a refused hijack endpoint",
					upgrade("POST", "/v1.41/session", h2c, false) + next, 403));
			probes.add(Probe.refusedThenJudged(name + "a refused endpoint",
					upgrade("GET", "/v1.41/images/json", h2c, false) + next, 403));
		}
	}

	private static String upgrade(String method, String target, String headers, boolean chunked) {
		String head = method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + headers;
		if (chunked) {
			return head + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
		}
		return method.equals("POST") ? head + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" : head + "\r\n";
	}

	/** Bodies too large, or broken: the request never reaches the socket whole, nothing behind it at all. */
	private static void bodies(List<Probe> probes) {
		String wait = "POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: x\r\n";
		String large = "a".repeat(1024 * 1024);
		probes.add(Probe.kept("a large body, then an unjudged request",
				wait + "Content-Length: " + large.length() + "\r\n\r\n" + large + IMAGES, 200, 403));
		probes.add(Probe.kept("a large chunked body, then an unjudged request", wait + "Transfer-Encoding: chunked\r\n\r\n"
				+ Integer.toHexString(large.length()) + "\r\n" + large + "\r\n0\r\n\r\n" + IMAGES, 200, 403));
		for (String broken : List.of("zz\r\n{}\r\n", "-1\r\n{}\r\n", "2\r\n{}XX", "2;\u0000\r\n{}\r\n",
				"fffffffffffffffff\r\n{}\r\n", "2\r\n{}\r\n0\r\nX-Trailer\r\n\r\n")) {
			probes.add(Probe.refusedThenJudged("broken chunk " + broken.replace("\r\n", "|"),
					wait + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n" + broken + "0\r\n\r\n" + IMAGES + CREATE, 400));
		}
	}

	/** What the client must see after the statuses it reads. */
	enum End {

		/** Nothing is checked: the statuses already include the answer to the request behind. */
		OPEN,

		/** The proxy closes the connection without another answer. */
		CLOSES,

		/**
		 * The bytes behind are either refused by the proxy (a {@code 4xx} of its own: the
		 * request behind judged, or bytes that are no request) or never read: the connection
		 * closes.
		 */
		CLOSES_OR_JUDGES

	}

	/**
	 * One probe and what the client must read.
	 *
	 * @param name what it tries
	 * @param request the bytes written, in one write
	 * @param statuses the statuses the client must read, in order ({@code 101} included)
	 * @param end what must follow them
	 * @param echoed the bytes the stream after a {@code 101} must carry back, or {@code null}
	 */
	record Probe(String name, String request, List<Integer> statuses, End end, String echoed) {

		/** Answered, then closed (an upgrade refused or answered other than 101). */
		static Probe refused(String name, String request, int status) {
			return new Probe(name, request, List.of(status), End.CLOSES, null);
		}

		/** Refused; the request behind it is judged too, or the connection closes. */
		static Probe refusedThenJudged(String name, String request, int status) {
			return new Probe(name, request, List.of(status), End.CLOSES_OR_JUDGES, null);
		}

		/** Answered in order, each request judged on its own. */
		static Probe kept(String name, String request, Integer... statuses) {
			return new Probe(name, request, List.of(statuses), End.OPEN, null);
		}

		/** A 101, then {@code stream} sent in the same packet comes back through the echo, then the end. */
		static Probe switched(String name, String request, String stream) {
			return new Probe(name, request + stream, List.of(101), End.CLOSES, stream);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
