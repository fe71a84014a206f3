package dev.socketproxy.it;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A keep-alive client whose request reaches the gateway path while the previous answer's
 * end is still on its way through Reactor Netty: the request is queued, and a refusal
 * answered from that queue must not leave the connection unread (the next request would
 * wait until the client gives up). Java's {@code HttpClient} met this in 1 to 4 of 100
 * connections, with or without the h2c offer it makes on its first request (the offer is
 * kept here as the client sends it); the pipelined case meets it always.
 */
class KeepAliveAfterQueuedRefusalIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	/** Far above an answer's time on a loaded machine, far below a client's patience. */
	private static final int ANSWER_TIMEOUT_MILLIS = 5000;

	private static final String H2C_OFFER = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
			+ "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n";

	private static final int CONNECTIONS = 300;

	private static final Duration SEQUENCE_BUDGET = Duration.ofSeconds(40);

	@TempDir
	static Path dir;

	private static RecordingUnixSocketServer server;

	private static RunningProxy proxy;

	@BeforeAll
	static void start() {
		server = RecordingUnixSocketServer.start(dir.resolve("docker.sock"));
		proxy = RunningProxy.start("-socketpath=" + server.socket(), "-allowGET=/v1\\.41/version",
				"--socketproxy.fast-path=false");
	}

	@AfterAll
	static void stop() {
		proxy.close();
		server.close();
	}

	@Test
	void theRequestAfterARefusalAnsweredFromTheQueueIsRead() {
		for (int i = 0; i < 3; i++) {
			try (RawHttp.Conversation client = RawHttp.open(proxy.port(), ANSWER_TIMEOUT_MILLIS)) {
				client.write(RawHttp.bytes(get("/v1.41/version", "") + get("/v1.41/secrets", "")));
				assertThat(status(client.next())).isEqualTo(200);
				assertThat(status(client.next())).isEqualTo(403);

				client.write(RawHttp.bytes(delete("/v1.41/version")));
				assertThat(status(client.next())).as("the request after the queued refusal").isEqualTo(405);
			}
		}
	}

	/**
	 * Java's {@code HttpClient} as in {@code ManagementServerIT.countersFollowTheDecisions},
	 * each request written once the answer before it was read, on enough connections that
	 * the race comes up.
	 */
	@Test
	void everyRequestOfJavasHttpClientSequenceIsAnswered() {
		long deadline = System.nanoTime() + SEQUENCE_BUDGET.toNanos();
		int connections = 0;
		while (connections < CONNECTIONS && System.nanoTime() < deadline) {
			try (RawHttp.Conversation client = RawHttp.open(proxy.port(), ANSWER_TIMEOUT_MILLIS)) {
				String connection = "connection " + connections + ": ";
				assertThat(status(client.write(RawHttp.bytes(get("/v1.41/version", H2C_OFFER))).next()))
					.as(connection + "GET with the h2c offer").isEqualTo(200);
				assertThat(status(client.write(RawHttp.bytes(get("/v1.41/version", ""))).next()))
					.as(connection + "GET").isEqualTo(200);
				assertThat(status(client.write(RawHttp.bytes(get("/v1.41/secrets", ""))).next()))
					.as(connection + "refused GET").isEqualTo(403);
				assertThat(status(client.write(RawHttp.bytes(delete("/v1.41/version"))).next()))
					.as(connection + "DELETE after the refusal").isEqualTo(405);
			}
			connections++;
		}
		assertThat(connections).as("connections within " + SEQUENCE_BUDGET).isGreaterThanOrEqualTo(CONNECTIONS / 3);
	}

	private static String get(String target, String headers) {
		return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
	}

	private static String delete(String target) {
		return "DELETE " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n";
	}

	/** The status, or 0 when no answer came within the timeout. */
	private static int status(RawHttp.Response response) {
		return (response != null) ? response.status() : 0;
	}

}
