package dev.socketproxy.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 against a real dockerd: a proxy that allows {@code GET /version} only (and
 * one that also allows the attach, exec start and wait calls a client needs) gets an
 * upgrade request the engine answers with something other than {@code 101}, followed on
 * the same connection by an image listing and a privileged container create with the
 * host's root mounted. Neither may reach the engine: the client gets no image list, and
 * the engine, asked on its own socket, has no new container.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeSmugglingDockerIT {

	private static final String CREATE_BODY = "{\"Image\":\"" + DockerDaemon.IMAGE
			+ "\",\"Cmd\":[\"sh\"],\"HostConfig\":{\"Binds\":[\"/:/host\"],\"Privileged\":true}}";

	/** What the attacker smuggles behind the upgrade request: never allowed by either proxy. */
	private static final String SMUGGLED = "GET /v1.41/images/json HTTP/1.1\r\nHost: x\r\n\r\n"
			+ "POST /v1.41/containers/create?name=smuggled HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			+ "Content-Length: " + CREATE_BODY.length() + "\r\n\r\n" + CREATE_BODY;

	private static final String EXEC_START = "{\"Detach\":false,\"Tty\":false}";

	private DockerDaemon docker;

	private RunningProxy versionOnly;

	private RunningProxy withStreams;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		docker.removeAllContainers();
		this.versionOnly = RunningProxy.start("-socketpath=" + docker.socket(), "-allowGET=/v1\\.[0-9]+/version");
		this.withStreams = RunningProxy.start("-socketpath=" + docker.socket(), "-allowGET=/v1\\.[0-9]+/version",
				"-allowPOST=/v1\\.[0-9]+/(containers/[^/]+/(attach|wait)|exec/[^/]+/start)");
	}

	@AfterAll
	void stop() {
		this.versionOnly.close();
		this.withStreams.close();
		this.docker.removeAllContainers();
	}

	@AfterEach
	void removeWhatWasSmuggled() {
		this.docker.removeAllContainers();
	}

	static Stream<Arguments> repros() {
		return Stream.of(
				// the repro, byte for byte; POST has no rule on this proxy, hence 405
				Arguments.of("GET /version, Upgrade: tcp", false,
						"GET /v1.41/version HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
						List.of(200, 403, 405), false),
				Arguments.of("GET /version, Upgrade: websocket", false,
						"GET /v1.41/version HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
								+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
						List.of(200, 403, 405), false),
				Arguments.of("GET /version, lower case", false,
						"GET /v1.41/version HTTP/1.1\r\nHost: x\r\nconnection: upgrade\r\nupgrade: tcp\r\n\r\n",
						List.of(200, 403, 405), false),
				Arguments.of("GET /version, Connection: keep-alive, Upgrade", false,
						"GET /v1.41/version HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: tcp\r\n\r\n",
						List.of(200, 403, 405), false),
				// not a hijacked endpoint: stripped, answered as plain HTTP (no such container), still judged
				Arguments.of("POST /containers/x/wait, Upgrade: tcp", true,
						"POST /v1.41/containers/x/wait HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
								+ "Content-Length: 0\r\n\r\n",
						List.of(404, 403, 403), false),
				// hijacked endpoints the engine answers 404: passed on, then the connection ends
				Arguments.of("attach to an unknown container", true,
						"POST /v1.41/containers/unknown/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: x\r\n"
								+ "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n",
						List.of(404), true),
				Arguments.of("start an unknown exec", true,
						"POST /v1.41/exec/unknown/start HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
								+ "Content-Type: application/json\r\nContent-Length: " + EXEC_START.length() + "\r\n\r\n" + EXEC_START,
						List.of(404), true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("repros")
	void whatFollowsANon101AnswerNeverReachesTheEngine(String name, boolean streamsAllowed, String upgrade,
			List<Integer> statuses, boolean closes) {
		RunningProxy proxy = streamsAllowed ? this.withStreams : this.versionOnly;
		List<RawHttp.Response> responses = new ArrayList<>();
		boolean closed;
		try (RawHttp.Conversation client = RawHttp.open(proxy.port(), 5000)) {
			client.write(RawHttp.bytes(upgrade + SMUGGLED));
			for (RawHttp.Response response = client.next(); response != null; response = client.next()) {
				responses.add(response);
				if (responses.size() == 3) {
					break;
				}
			}
			closed = responses.size() < 3 && client.closedByPeer();
		}

		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}} {{.Mounts}}").stdout())
			.as("containers the engine has, asked on its own socket")
			.isEmpty();
		assertThat(responses).extracting(RawHttp.Response::body)
			.as("what the client read")
			.noneSatisfy((body) -> assertThat(body).contains("RepoTags"));
		assertThat(responses).extracting(RawHttp.Response::status).as("statuses the client read").isEqualTo(statuses);
		if (closes) {
			assertThat(closed).as("the connection ends after the engine's answer").isTrue();
		}
	}

}
