package dev.socketproxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

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
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hijacked connections and streams at the byte level, against a Unix-socket server that
 * speaks raw HTTP: what a docker client cannot show (bytes in the same packet as the
 * request, a refused upgrade, a non-101 answer, connections left open).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeTunnelIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	private static final String EXEC_START = "/v1.41/exec/upgrade/start";

	private static final String SINK = "/v1.41/exec/sink/start";

	private static final String MISSING = "/v1.41/containers/missing/attach";

	private Path dir;

	private RawUnixSocketServer server;

	private RunningProxy proxy;

	private int managementPort;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("upgrade-it");
		this.server = RawUnixSocketServer.start(this.dir.resolve("raw.sock"));
		this.managementPort = RunningProxy.freePort();
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socketPath(), "-allowPOST=" + EXEC_START + "|" + SINK + "|" + MISSING + "|/v1\\.41/containers/x/wait",
				"-allowGET=/stream|/v1\\.41/version", "-allowhealthcheck", "--socketproxy.management.port=" + this.managementPort);
		awaitZero(this.server::openConnections);
	}

	@AfterAll
	void stop() throws IOException {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	@Test
	void bytesInTheSamePacketAsTheRequestAndTheHalfCloseGoThrough() throws Exception {
		String request = upgradeRequest(EXEC_START, "body") + "early bytes\n";

		try (Socket client = connect()) {
			client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			client.shutdownOutput();

			assertThat(readAll(client)).isEqualTo("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
					+ "early bytes\n");
		}
		assertThat(this.server.requestHeads()).last()
			.satisfies((head) -> assertThat(head).startsWith("POST " + EXEC_START + " HTTP/1.1\r\n")
				.contains("Host: docker\r\n", "Connection: Upgrade\r\n", "Upgrade: tcp\r\n", "Content-Length: 4\r\n"));
		awaitZero(this.server::openConnections);
	}

	@Test
	void manyMegabytesFlowBothWaysAtOnce() throws Exception {
		byte[] data = new byte[32 * 1024 * 1024];
		new Random(7).nextBytes(data);
		String head = "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

		try (Socket client = connect()) {
			OutputStream out = client.getOutputStream();
			out.write(upgradeRequest(EXEC_START, "").getBytes(StandardCharsets.ISO_8859_1));
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					out.write(data);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			InputStream in = client.getInputStream();
			String answerHead = new String(in.readNBytes(head.length()), StandardCharsets.ISO_8859_1);
			byte[] echoed = in.readNBytes(data.length);
			writer.get(30, TimeUnit.SECONDS);
			client.shutdownOutput();

			assertThat(answerHead).isEqualTo(head);
			assertThat(MessageDigest.getInstance("SHA-256").digest(echoed))
				.isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
			assertThat(in.read()).as("end of stream after the half-close").isEqualTo(-1);
		}
		awaitZero(this.server::openConnections);
	}

	/**
	 * The client half-closes while megabytes of answer are still to come and reads them
	 * slowly, so the proxy's write side is full at the moment its read side ends.
	 */
	@Test
	void aLargeAnswerReadSlowlyAfterTheClientsHalfCloseArrivesWhole() throws Exception {
		byte[] data = new byte[16 * 1024 * 1024];
		new Random(11).nextBytes(data);
		String head = "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

		try (Socket client = connect()) {
			client.setReceiveBufferSize(64 * 1024);
			OutputStream out = client.getOutputStream();
			out.write(upgradeRequest(EXEC_START, "").getBytes(StandardCharsets.ISO_8859_1));
			CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
				try {
					out.write(data);
					client.shutdownOutput();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			InputStream in = client.getInputStream();
			String answerHead = new String(in.readNBytes(head.length()), StandardCharsets.ISO_8859_1);
			MessageDigest echoed = MessageDigest.getInstance("SHA-256");
			long length = 0;
			byte[] chunk = new byte[32 * 1024];
			for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
				echoed.update(chunk, 0, read);
				length += read;
				if (writer.isDone()) {
					// a slow reader on purpose, so the proxy's write side stays full: not a wait for a condition
					Thread.sleep(1);
				}
			}
			writer.get(30, TimeUnit.SECONDS);

			assertThat(answerHead).isEqualTo(head);
			assertThat(length).isEqualTo(data.length);
			assertThat(echoed.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
		}
		awaitZero(this.server::openConnections);
	}

	/**
	 * The engine half-closes first (a process that closed its output but still reads its
	 * input): the client sees the end of the answer and can still send until it
	 * half-closes itself.
	 */
	@Test
	void afterTheEnginesHalfCloseTheClientCanStillSend() throws Exception {
		String head = "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
		int sunkBefore = this.server.sunk().size();

		try (Socket client = connect()) {
			OutputStream out = client.getOutputStream();
			out.write(upgradeRequest(SINK, "").getBytes(StandardCharsets.ISO_8859_1));
			assertThat(readAll(client)).isEqualTo(head + "bye\n");

			out.write("still talking\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			client.shutdownOutput();

			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.sunk().size() > sunkBefore);
		}
		assertThat(this.server.sunk()).last().as("what the engine got after its half-close").isEqualTo("still talking\n");
		awaitZero(this.server::openConnections);
	}

	@Test
	void anOpenTunnelIsCountedAsAHijackedConnection() throws Exception {
		try (Socket client = connect()) {
			client.getOutputStream().write(upgradeRequest(EXEC_START, "").getBytes(StandardCharsets.ISO_8859_1));
			String head = "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
			assertThat(new String(client.getInputStream().readNBytes(head.length()), StandardCharsets.ISO_8859_1))
				.isEqualTo(head);

			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> assertThat(hijackedGauge()).isEqualTo("1.0"));
		}
		awaitZero(this.server::openConnections);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(hijackedGauge()).isEqualTo("0.0"));
	}

	@Test
	void anH2cOfferIsAnsweredAsPlainHttpAndNotForwarded() throws Exception {
		try (Socket client = connect()) {
			client.getOutputStream()
				.write(("POST " + MISSING + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade, HTTP2-Settings\r\n"
						+ "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nContent-Length: 0\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));

			InputStream in = client.getInputStream();
			StringBuilder answer = new StringBuilder();
			while (!answer.toString().endsWith("not found\n")) {
				int read = in.read();
				assertThat(read).as("answer so far: " + answer).isNotNegative();
				answer.append((char) read);
			}
			assertThat(answer.toString()).startsWith("HTTP/1.1 404 Not Found\r\n");
		}
		assertThat(this.server.requestHeads()).last()
			.satisfies((head) -> assertThat(head).startsWith("POST " + MISSING + " HTTP/1.1\r\n")
				.doesNotContainIgnoringCase("upgrade")
				.doesNotContainIgnoringCase("HTTP2-Settings"));
	}

	private String hijackedGauge() throws Exception {
		String metrics = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/prometheus"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
			.body();
		return metrics.lines()
			.filter((line) -> line.startsWith("socketproxy_hijacked_connections_open"))
			.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
			.findFirst()
			.orElse("absent");
	}

	/** dockerd refuses an attach or exec start for an unknown id over HTTP and goes on reading HTTP. */
	@Test
	void anAnswerOtherThan101EndsTheConnectionAndWhatFollowedNeverReachesTheSocket() throws Exception {
		int before = this.server.requestHeads().size();

		try (Socket client = connect()) {
			client.getOutputStream()
				.write((upgradeRequest(MISSING, "") + "GET /v1.41/images/json HTTP/1.1\r\nHost: docker\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1));

			assertThat(readAll(client)).startsWith("HTTP/1.1 404 Not Found\r\n")
				.containsIgnoringCase("connection: close\r\n")
				.endsWith("\r\n\r\nnot found\n");
		}
		awaitZero(this.server::openConnections);
		assertThat(this.server.requestHeads()).hasSize(before + 1).last().asString().startsWith("POST " + MISSING);
	}

	/**
	 * The issue-13 bypass: an Upgrade on an endpoint the engine does not switch on must not
	 * turn the connection into a tunnel; the next request on it is judged (403 here).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "GET /v1.41/version|Connection: Upgrade\r\nUpgrade: tcp",
			"GET /v1.41/version|connection: upgrade\r\nupgrade: TCP",
			"GET /v1.41/version|Connection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13",
			"POST /v1.41/containers/x/wait|Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0",
			"POST /v1.41/containers/x/wait|Connection: Upgrade\r\nUpgrade: tcp\r\nTransfer-Encoding: chunked\r\n\r\n0",
			"POST " + MISSING + "|Connection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 0" })
	void anUpgradeWhereTheEngineDoesNotSwitchIsPlainHttpAndTheNextRequestIsJudged(String probe) {
		String[] parts = probe.split("\\|", 2);
		int before = this.server.requestHeads().size();
		String first = parts[0] + " HTTP/1.1\r\nHost: docker\r\n" + parts[1] + "\r\n\r\n";
		String next = "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 2\r\n\r\n{}";

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(),
				(first + next).getBytes(StandardCharsets.ISO_8859_1), 2, 10_000);

		assertThat(responses).extracting(RawHttp.Response::status)
			.containsExactly(parts[0].contains("missing") ? 404 : 200, 403);
		assertThat(this.server.requestHeads()).hasSize(before + 1)
			.last()
			.asString()
			.startsWith(parts[0] + " HTTP/1.1\r\n")
			.doesNotContainIgnoringCase("upgrade");
	}

	@Test
	void aRefusedUpgradeGetsTheProxysAnswerThenTheConnectionCloses() throws Exception {
		int before = this.server.requestHeads().size();

		try (Socket client = connect()) {
			client.getOutputStream()
				.write((upgradeRequest("/v1.41/exec/forbidden/start", "{}") + "raw bytes that must not be parsed")
					.getBytes(StandardCharsets.ISO_8859_1));

			String answer = readAll(client);
			assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n")
				.containsIgnoringCase("connection: close\r\n")
				.endsWith("\r\n\r\nForbidden\n");
		}
		assertThat(this.server.requestHeads()).hasSize(before);
	}

	@Test
	void streamedChunksArriveAsSentAndTheUpstreamClosesWhenTheClientLeaves() throws Exception {
		try (Socket client = connect()) {
			client.getOutputStream()
				.write("GET /stream HTTP/1.1\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = client.getInputStream();
			StringBuilder seen = new StringBuilder();
			long started = System.nanoTime();
			while (!seen.toString().contains("{\"event\":2}")) {
				int next = in.read();
				assertThat(next).as("stream ended early: " + seen).isNotNegative();
				seen.append((char) next);
			}
			// three events 100 ms apart: flushed one by one, not collected into a buffer
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
			assertThat(seen.toString()).startsWith("HTTP/1.1 200 OK\r\n").contains("{\"event\":0}\n", "{\"event\":1}\n");
			assertThat(this.server.openConnections()).isEqualTo(1);
		}
		awaitZero(this.server::openConnections);
	}

	private static String upgradeRequest(String path, String body) {
		return "POST " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.proxy.port());
		socket.setSoTimeout(20_000);
		return socket;
	}

	private static String readAll(Socket socket) throws IOException {
		return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
	}

	private static void awaitZero(IntSupplier count) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(count.getAsInt()).as("connections still open to the socket").isZero());
	}

}
