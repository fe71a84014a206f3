package dev.socketproxy.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.RawUnixSocketServer.Answer;
import dev.socketproxy.support.ReceivedRequest;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code visible-containers} between a client and a socket server that parses everything
 * it receives: a per-id request for a hidden container (by name, by ID, through an exec,
 * on the upgrade path too) never reaches the socket; a visible one reaches it only with
 * the container's full ID in place of what the client named ({@link JudgedOnly} checks
 * that the socket received nothing else); the next requests on a kept-alive or pipelined
 * connection are judged as the first; lists and events leave without the hidden ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectScopeIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly(Duration.ofMillis(50));

	private static final String WEB_ID = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";

	private static final String DB_ID = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

	private static final String WEB_EXEC = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";

	private static final String DB_EXEC = "e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2";

	private static final String WEB = "{\"Id\":\"" + WEB_ID + "\",\"Name\":\"/web\",\"Config\":{\"Labels\":{\"traefik.enable\":\"true\"}}}";

	private static final String DB = "{\"Id\":\"" + DB_ID + "\",\"Name\":\"/db\",\"Config\":{\"Labels\":{}}}";

	private static final String LIST = "[{\"Id\":\"" + DB_ID + "\",\"Names\":[\"/db\"],\"Labels\":{}},{\"Id\":\"" + WEB_ID
			+ "\",\"Names\":[\"/web\"],\"Labels\":{\"traefik.enable\":\"true\"}}]\n";

	private static final String WEB_EVENT = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"" + WEB_ID
			+ "\",\"Attributes\":{\"name\":\"web\",\"traefik.enable\":\"true\"}}}";

	private static final String DB_EVENT = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"" + DB_ID
			+ "\",\"Attributes\":{\"name\":\"db\"}}}";

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("object-scope");
		RawUnixSocketServer.Script dockerLike = RawUnixSocketServer.dockerLike();
		this.server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"), (request) -> {
			if (JudgedOnly.isLookup(request)) {
				return lookup(request.target());
			}
			if (request.target().startsWith("/v1.41/containers/json")) {
				return Answer.json(200, "OK", LIST);
			}
			if (request.target().startsWith("/v1.41/events")) {
				return Answer.json(200, "OK", DB_EVENT + "\n" + WEB_EVENT + "\n");
			}
			return dockerLike.answer(request);
		});
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(), "-allowGET=.*", "-allowPOST=.*",
				"-allowDELETE=.*", "--socketproxy.visible-containers.labels[0]=traefik.enable=true");
	}

	@AfterAll
	void stop() throws IOException {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	/** The engine's inspects: web and db by name or ID, their execs; 404 for anything else. */
	private static Answer lookup(String target) {
		return switch (target) {
			case "/containers/web/json", "/containers/" + WEB_ID + "/json", "/containers/a1a1/json" -> Answer.json(200, "OK", WEB);
			case "/containers/db/json", "/containers/" + DB_ID + "/json" -> Answer.json(200, "OK", DB);
			case "/exec/" + WEB_EXEC + "/json" -> Answer.json(200, "OK", "{\"ID\":\"" + WEB_EXEC + "\",\"ContainerID\":\"" + WEB_ID + "\"}");
			case "/exec/" + DB_EXEC + "/json" -> Answer.json(200, "OK", "{\"ID\":\"" + DB_EXEC + "\",\"ContainerID\":\"" + DB_ID + "\"}");
			default -> target.startsWith("/events") ? Answer.json(200, "OK", "")
					: Answer.json(404, "Not Found", "{\"message\":\"No such object\"}");
		};
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET /v1.41/containers/db/json", "GET /v1.41/containers/db/logs?stdout=1",
			"GET /v1.41/containers/" + DB_ID + "/stats?stream=0", "POST /v1.41/containers/db/exec",
			"DELETE /v1.41/containers/" + DB_ID + "?force=1", "GET /containers/db/archive?path=/etc" })
	void aHiddenContainerIs404AndNeverReachesTheSocket(String request) {
		int mark = ReceivedRequest.count();
		String[] parts = request.split(" ");
		RawHttp.Response response = send(parts[0] + " " + parts[1] + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).startsWith("{\"message\":\"No such container: ");
		assertThat(RawUnixSocketServer.header(response.head(), "content-type")).isEqualTo("application/json");
		assertThat(clientRequestsSince(mark)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"HostConfig\":{\"VolumesFrom\":[\"db\"]}}",
			"{\"Image\":\"busybox\",\"HostConfig\":{\"NetworkMode\":\"container:db\"}}",
			"{\"HostConfig\":{\"PidMode\":\"container:" + DB_ID + "\"}}" })
	void aHiddenContainerNamedInACreateBodyIs404AndNeverReachesTheSocket(String body) {
		int mark = ReceivedRequest.count();
		RawHttp.Response response = send("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).startsWith("{\"message\":\"No such container: ");
		assertThat(clientRequestsSince(mark)).isEmpty();
	}

	@Test
	void aVisibleContainerReachesTheSocketOnlyByItsFullId() {
		int mark = ReceivedRequest.count();
		RawHttp.Response byName = send("GET /v1.41/containers/web/logs?stdout=1&tail=5 HTTP/1.1\r\nHost: x\r\n\r\n");
		RawHttp.Response byPrefix = send("POST /containers/a1a1/restart HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

		assertThat(byName.status()).isEqualTo(200);
		assertThat(byPrefix.status()).isEqualTo(200);
		assertThat(clientRequestsSince(mark)).extracting(ReceivedRequest::target)
			.containsExactly("/v1.41/containers/" + WEB_ID + "/logs?stdout=1&tail=5", "/containers/" + WEB_ID + "/restart");
	}

	@Test
	void pipelinedAndKeptAliveRequestsAreEachJudged() {
		int mark = ReceivedRequest.count();
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes("GET /v1.41/containers/db/json HTTP/1.1\r\nHost: x\r\n\r\n"
					+ "GET /v1.41/containers/web/json HTTP/1.1\r\nHost: x\r\n\r\n"
					+ "GET /v1.41/containers/" + DB_ID + "/top HTTP/1.1\r\nHost: x\r\n\r\n"));
			assertThat(List.of(client.next().status(), client.next().status(), client.next().status()))
				.containsExactly(404, 200, 404);
			client.write(RawHttp.bytes("GET /v1.41/containers/db/logs HTTP/1.1\r\nHost: x\r\n\r\n"));
			assertThat(client.next().status()).isEqualTo(404);
			client.write(RawHttp.bytes("GET /v1.41/containers/web/top HTTP/1.1\r\nHost: x\r\n\r\n"));
			assertThat(client.next().status()).isEqualTo(200);
		}
		assertThat(clientRequestsSince(mark)).extracting(ReceivedRequest::target)
			.containsExactly("/v1.41/containers/" + WEB_ID + "/json", "/v1.41/containers/" + WEB_ID + "/top");
	}

	@Test
	void execStartAndAttachAreJudgedBeforeTheUpgradeAndTunnelledRewritten() {
		int mark = ReceivedRequest.count();
		assertThat(send(upgrade("/v1.41/exec/" + DB_EXEC + "/start", "{}")).status()).isEqualTo(404);
		assertThat(send(upgrade("/v1.41/containers/db/attach?stream=1&stdout=1", "")).status()).isEqualTo(404);
		assertThat(clientRequestsSince(mark)).isEmpty();

		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(upgrade("/v1.41/containers/web/attach?stream=1&stdout=1", "")));
			assertThat(client.next().status()).isEqualTo(101);
			client.write(RawHttp.bytes("ping\n"));
			assertThat(client.bytes(5)).isEqualTo("ping\n");
		}
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(upgrade("/v1.41/exec/" + WEB_EXEC + "/start", "{}")));
			assertThat(client.next().status()).isEqualTo(101);
		}
		assertThat(clientRequestsSince(mark)).extracting(ReceivedRequest::target)
			.containsExactly("/v1.41/containers/" + WEB_ID + "/attach?stream=1&stdout=1", "/v1.41/exec/" + WEB_EXEC + "/start");
	}

	@Test
	void theListAndTheEventsLeaveWithoutTheHiddenContainer() {
		RawHttp.Response list = send("GET /v1.41/containers/json?all=1 HTTP/1.1\r\nHost: x\r\n\r\n");
		RawHttp.Response events = send("GET /v1.41/events?since=0&until=1 HTTP/1.1\r\nHost: x\r\n\r\n");
		RawHttp.Response prune = send("POST /v1.41/containers/prune HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");

		assertThat(list.status()).isEqualTo(200);
		assertThat(list.body()).contains(WEB_ID).doesNotContain(DB_ID);
		assertThat(events.body()).isEqualTo(WEB_EVENT + "\n");
		assertThat(prune.status()).isEqualTo(403);
	}

	/** What the socket received from clients, not the proxy's own lookups. */
	private static List<ReceivedRequest> clientRequestsSince(int mark) {
		return ReceivedRequest.since(mark).stream().filter((request) -> !JudgedOnly.isLookup(request)).toList();
	}

	private RawHttp.Response send(String request) {
		try (RawHttp.Conversation client = RawHttp.open(this.proxy.port(), 10_000)) {
			client.write(RawHttp.bytes(request));
			return client.next();
		}
	}

	private static String upgrade(String target, String body) {
		return "POST " + target + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
	}

}
