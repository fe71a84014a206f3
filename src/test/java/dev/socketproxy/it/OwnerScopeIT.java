package dev.socketproxy.it;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.socketproxy.access.body.EngineJson;
import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RawUnixSocketServer.Answer;
import dev.socketproxy.support.ReceivedRequest;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An owner-scoped client between a client and a socket server that parses everything it
 * receives: create bodies reach the socket only with the owner label, list, prune and
 * events queries only with the owner filter merged in (also with the fast path on); what
 * cannot be rewritten unambiguously, and what names another owner's object, never reaches
 * it ({@link JudgedOnly}, which matches a rewritten request by the target it was
 * rewritten to, and lets the proxy's own lookups pass).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerScopeIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly(Duration.ofMillis(50));

	private static final String OWNER_LABEL = "socket-proxy.owner=tenant-a";

	/**
	 * The proxy's own lookups (unversioned): a container, volume or network whose name
	 * starts with {@code mine} is tenant-a's, with {@code gone} unknown, else tenant-b's.
	 */
	private static final Pattern LOOKUP = Pattern.compile("/(?:containers/([^/?]+)/json|(?:volumes|networks)/([^/?]+))");

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("owner-scope");
		RawUnixSocketServer.Script dockerLike = RawUnixSocketServer.dockerLike();
		this.server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"), (request) -> {
			Matcher lookup = LOOKUP.matcher(request.target());
			if (!request.method().equals("GET") || !lookup.matches()) {
				return dockerLike.answer(request);
			}
			String name = (lookup.group(1) != null) ? lookup.group(1) : lookup.group(2);
			if (name.startsWith("gone")) {
				return Answer.json(404, "Not Found", "{\"message\":\"No such object: " + name + "\"}");
			}
			String labels = "{\"socket-proxy.owner\":\"" + (name.startsWith("mine") ? "tenant-a" : "tenant-b") + "\"}";
			return Answer.json(200, "OK", "{\"Id\":\"" + name + "-id\",\"Name\":\"" + name + "\",\"Labels\":" + labels
					+ ",\"Config\":{\"Labels\":" + labels + "}}");
		});
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(),
				"-allowGET=/_ping|/v1\\.41/(version|containers/json|networks|volumes|images/json|events)",
				"-allowPOST=/v1\\.41/((containers|networks|volumes)/(create|prune)|images/prune|build|commit"
						+ "|networks/[^/]+/(connect|disconnect))",
				"--socketproxy.owner=tenant-a");
	}

	@AfterAll
	void stop() throws Exception {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	@Test
	void createBodiesReachTheSocketOnlyWithTheOwnerLabel() {
		for (String target : List.of("/v1.41/containers/create?name=a1", "/v1.41/networks/create", "/v1.41/volumes/create")) {
			int mark = ReceivedRequest.count();
			String body = "{\"Name\":\"x\",\"labels\":{\"socket-proxy.owner\":\"tenant-b\",\"app\":\"web\"},\"Image\":\"busybox\"}";
			assertThat(send(post(target, "application/json", body)).status()).as(target).isEqualTo(200);

			ReceivedRequest received = only(mark);
			assertThat(received.target()).isEqualTo(target);
			Map<?, ?> root = (Map<?, ?>) EngineJson.parse(received.body());
			assertThat(root.get("labels")).isEqualTo(Map.of("socket-proxy.owner", "tenant-a", "app", "web"));
			assertThat(root.get("Image")).isEqualTo("busybox");
			assertThat(RawUnixSocketServer.header(received.head(), "content-length"))
				.isEqualTo(Integer.toString(received.body().length));
		}
	}

	@Test
	void anEmptyVolumeCreateGetsTheLabelToo() {
		int mark = ReceivedRequest.count();
		assertThat(send(post("/v1.41/volumes/create", null, "")).status()).isEqualTo(200);

		assertThat(only(mark).bodyText()).isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"}}");
	}

	@Test
	void listsEventsAndPrunesReachTheSocketOnlyWithTheOwnerFilter() {
		String clientFilters = "%7B%22label%22%3A%5B%22app%3Dweb%22%5D%7D";
		for (String request : List.of(get("/v1.41/containers/json?all=1&filters=" + clientFilters),
				get("/v1.41/networks?x=a=b"), get("/v1.41/volumes?filters=%7B%7D"), get("/v1.41/images/json"),
				post("/v1.41/containers/prune?filters=" + clientFilters, null, ""), post("/v1.41/images/prune", null, ""))) {
			int mark = ReceivedRequest.count();
			assertThat(send(request).status()).as(request).isEqualTo(200);

			String target = only(mark).target();
			String query = target.substring(target.indexOf('?') + 1);
			List<String> filters = List.of(query.split("&"))
				.stream()
				.filter((pair) -> URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8).equals("filters"))
				.map((pair) -> URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8))
				.toList();
			assertThat(filters).as(target).hasSize(1);
			Object labels = ((Map<?, ?>) EngineJson.parse(filters.get(0).getBytes(StandardCharsets.UTF_8))).get("label");
			if (request.contains(clientFilters)) {
				assertThat(labels).as(request).isEqualTo(List.of("app=web", OWNER_LABEL));
			}
			else {
				assertThat(labels).as(request).isEqualTo(Map.of(OWNER_LABEL, true));
			}
		}
	}

	@Test
	void aBuildGetsTheOwnerInItsLabels() {
		int mark = ReceivedRequest.count();
		assertThat(send(post("/v1.41/build?t=app%3A1&labels=%7B%22a%22%3A%22b%22%7D", "application/x-tar", "")).status())
			.isEqualTo(200);

		String target = only(mark).target();
		assertThat(target).startsWith("/v1.41/build?t=app%3A1&labels=");
		assertThat(URLDecoder.decode(target.substring(target.indexOf("labels=") + 7), StandardCharsets.UTF_8))
			.isEqualTo("{\"a\":\"b\",\"socket-proxy.owner\":\"tenant-a\"}");
	}

	@Test
	void referencesToAnotherOwnersObjectsAre403AndNeverReachTheSocket() {
		int mark = ReceivedRequest.count();
		assertForbidden(post("/v1.41/containers/create", "application/json",
				"{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"mine-v:/m\",\"theirs-v:/t\"]}}"),
				"not owned: volume theirs-v");
		assertForbidden(post("/v1.41/containers/create", "application/json",
				"{\"NetworkingConfig\":{\"EndpointsConfig\":{\"theirs-net\":{}}}}"), "not owned: network theirs-net");
		assertForbidden(post("/v1.41/networks/mine-net/connect", "application/json", "{\"Container\":\"theirs-c\"}"),
				"not owned: container theirs-c");
		assertForbidden(post("/v1.41/commit?container=theirs-c&repo=x", null, ""), "not owned: container theirs-c");

		assertThat(engineRequests(mark)).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.proxy.deniedCount("not_owned") >= 4);
	}

	@Test
	void ownedAndUnknownReferencesAreForwarded() {
		int mark = ReceivedRequest.count();
		assertThat(send(post("/v1.41/containers/create", "application/json",
				"{\"HostConfig\":{\"Binds\":[\"mine-v:/m\"],\"VolumesFrom\":[\"gone-c\"],\"PidMode\":\"container:mine-c\"}}"))
			.status()).isEqualTo(200);

		assertThat(only(mark).target()).isEqualTo("/v1.41/containers/create");
	}

	@Test
	void whatCannotBeRewrittenUnambiguouslyNeverReachesTheSocket() {
		int mark = ReceivedRequest.count();
		assertRefused(get("/v1.41/containers/json?filters=%7B%7D&filters=%7B%7D"),
				"Bad Request: ambiguous query: filters given more than once\n");
		assertRefused(get("/v1.41/volumes?filters=dangling"), null);
		// The gateway's routing would forward it as an empty filters ahead of the merged one.
		assertRefused(get("/v1.41/containers/json?=filters"), "Bad Request: non-canonical path: changed by parsing\n");
		assertRefused(post("/v1.41/volumes/prune", "application/x-www-form-urlencoded", "filters=%7B%7D"),
				"Bad Request: form body not inspected: the engine would read its fields before the query\n");
		assertRefused(post("/v1.41/build?labels=%7B%7D&labels=%7B%7D", "application/x-tar", ""),
				"Bad Request: ambiguous query: labels given more than once\n");
		assertRefused(post("/v1.41/volumes/create", "application/json", "{\"Labels\":{},\"LABELS\":{}}"), null);
		assertRefused(post("/v1.41/containers/create", "application/json", "{\"Labels\":[\"a=b\"]}"), null);

		assertThat(engineRequests(mark)).isEmpty();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.proxy.deniedCount("ambiguous_query") >= 2);
	}

	private void assertRefused(String request, String body) {
		RawHttp.Response response = send(request);
		assertThat(response.status()).as(request).isEqualTo(400);
		if (body != null) {
			assertThat(response.body()).isEqualTo(body);
		}
	}

	private void assertForbidden(String request, String reason) {
		RawHttp.Response response = send(request);
		assertThat(response.status()).as(request).isEqualTo(403);
		assertThat(response.body()).isEqualTo("{\"message\":\"" + reason + "\"}\n");
	}

	/** The one request the socket received for the client since {@code mark}. */
	private static ReceivedRequest only(int mark) {
		await().atMost(Duration.ofSeconds(5)).until(() -> !engineRequests(mark).isEmpty());
		List<ReceivedRequest> received = engineRequests(mark);
		assertThat(received).hasSize(1);
		return received.get(0);
	}

	/** What the socket received since {@code mark}, but the proxy's own lookups. */
	private static List<ReceivedRequest> engineRequests(int mark) {
		return ReceivedRequest.since(mark).stream().filter((request) -> !JudgedOnly.isLookup(request)).toList();
	}

	private RawHttp.Response send(String request) {
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(request));
			return client.next();
		}
	}

	private static String get(String target) {
		return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
	}

	private static String post(String target, String contentType, String body) {
		return "POST " + target + " HTTP/1.1\r\nHost: x\r\n"
				+ ((contentType != null) ? "Content-Type: " + contentType + "\r\n" : "") + "Content-Length: "
				+ body.length() + "\r\n\r\n" + body;
	}

}
