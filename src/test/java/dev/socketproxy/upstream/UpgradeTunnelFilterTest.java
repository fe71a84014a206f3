package dev.socketproxy.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import dev.socketproxy.metrics.HijackedConnections;
import dev.socketproxy.metrics.ProxyMetrics;
import dev.socketproxy.support.FilterServer;
import dev.socketproxy.support.RawUnixSocketServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which requests the tunnel takes from the routing, and what it does with them. The filter
 * looks for the client's connection, which a mock exchange does not have, so it runs here
 * on a {@link FilterServer} with the {@link UpgradeRequestGuard}, in front of a real Unix
 * socket ({@link RawUnixSocketServer} answering as dockerd does).
 */
class UpgradeTunnelFilterTest {

	private static final String EXEC_START = "/v1.41/exec/abc/start";

	@TempDir
	Path dir;

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final HijackedConnections hijacked = new HijackedConnections(this.registry, new ProxyMetrics(this.registry));

	private final AtomicInteger routed = new AtomicInteger();

	/** The routing the tunnel bypasses: answers every request it gets with 200 {@code routed}. */
	private final GatewayFilterChain routing = (exchange) -> {
		this.routed.incrementAndGet();
		return exchange.getResponse()
			.writeWith(Mono.just(DefaultDataBufferFactory.sharedInstance.wrap("routed".getBytes(StandardCharsets.UTF_8))));
	};

	private RawUnixSocketServer engine;

	private FilterServer proxy;

	@AfterEach
	void stop() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.engine != null) {
			this.engine.close();
		}
	}

	@Test
	void aRequestThatDoesNotUpgradePassesToTheRouting() throws IOException {
		start();

		String answer = exchange("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");

		assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nrouted");
		assertThat(this.routed).hasValue(1);
		assertThat(this.engine.received()).isEmpty();
	}

	@Test
	void anUpgradeRequestWithABodyTooLargeIsRefusedBeforeTheSocketSeesIt() throws Exception {
		start();
		int length = UpgradeTunnelFilter.MAX_BODY_BYTES + 1;

		try (Socket client = connect()) {
			OutputStream out = client.getOutputStream();
			// The proxy may answer and close before the whole body is sent.
			CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
				try {
					out.write(upgradeRequest(EXEC_START, length).getBytes(StandardCharsets.ISO_8859_1));
					out.write(new byte[length]);
					out.flush();
				}
				catch (IOException ex) {
					// refused and closed while sending: what the test expects
				}
			});
			String answer = new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			sending.join();

			assertThat(answer).startsWith("HTTP/1.1 413 ").endsWith("\r\n\r\nContent Too Large\n");
		}
		assertThat(this.engine.received()).isEmpty();
		assertThat(this.routed).hasValue(0);
		assertThat(this.registry.find("socketproxy.upstream.requests").timers()).isEmpty();
	}

	@Test
	void anAnswerOtherThan101IsRelayedAndEndsTheConnection() throws IOException {
		start();

		String answer = exchange(upgradeRequest("/v1.41/containers/missing/attach", 0));

		assertThat(answer).startsWith("HTTP/1.1 404 Not Found\r\n")
			.containsIgnoringCase("\r\nconnection: close\r\n")
			.endsWith("\r\n\r\n{\"message\":\"No such container: missing\"}");
		assertThat(this.engine.received()).singleElement()
			.satisfies((request) -> assertThat(request.head()).startsWith("POST /v1.41/containers/missing/attach HTTP/1.1\r\n")
				.containsIgnoringCase("\r\nUpgrade: tcp\r\n"));
		assertThat(this.routed).hasValue(0);
		assertThat(timed("404")).isEqualTo(1);
		assertThat(openTunnels()).isZero();
	}

	@Test
	void a101SplicesTheConnectionsAndCountsTheTunnelWhileItIsOpen() throws Exception {
		start();
		String head = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\n"
				+ "Upgrade: tcp\r\n\r\n";

		try (Socket client = connect()) {
			client.getOutputStream().write(upgradeRequest(EXEC_START, 0).getBytes(StandardCharsets.ISO_8859_1));
			InputStream in = client.getInputStream();
			assertThat(new String(in.readNBytes(head.length()), StandardCharsets.ISO_8859_1)).isEqualTo(head);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openTunnels()).isEqualTo(1));

			client.getOutputStream().write("stdin\n".getBytes(StandardCharsets.ISO_8859_1));
			client.shutdownOutput();
			assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as("the engine's echo").isEqualTo("stdin\n");
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openTunnels()).isZero());
		assertThat(timed("101")).isEqualTo(1);
		assertThat(this.routed).hasValue(0);
	}

	@Test
	void aSocketThatIsGoneIsCountedAsAnUpstreamError() throws IOException {
		start();
		this.engine.close();
		this.engine = null;

		String answer = exchange(upgradeRequest(EXEC_START, 0));

		assertThat(answer).as("no 502 without SocketUnreachableFilter").startsWith("HTTP/1.1 500 ");
		assertThat(this.registry.get("socketproxy.upstream.errors").tag("method", "POST").counter().count()).isEqualTo(1);
		assertThat(this.routed).hasValue(0);
		assertThat(openTunnels()).isZero();
	}

	private void start() {
		this.engine = RawUnixSocketServer.start(this.dir.resolve("docker.sock"), RawUnixSocketServer.dockerLike());
		UpgradeTunnelFilter filter = new UpgradeTunnelFilter(new UpgradeTunnel(this.engine.socketPath()), this.hijacked,
				new HopByHopHeaders(new RemoveHopByHopHeadersFilter()));
		this.proxy = FilterServer.start(filter, this.routing, (pipeline) -> {
			ExchangeTracker exchanges = new ExchangeTracker();
			pipeline.addAfter(NettyPipeline.HttpCodec, "exchangeTracker", exchanges)
				.addAfter("exchangeTracker", "upgradeRequestGuard", new UpgradeRequestGuard(exchanges));
		});
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket("127.0.0.1", this.proxy.port());
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Sends the request and reads until the proxy closes the connection. */
	private String exchange(String request) throws IOException {
		try (Socket client = connect()) {
			client.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			return new String(client.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

	private static String upgradeRequest(String path, int contentLength) {
		return "POST " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
	}

	private double timed(String status) {
		return this.registry.get("socketproxy.upstream.requests").tag("method", "POST").tag("status", status).timer().count();
	}

	private double openTunnels() {
		return this.registry.get("socketproxy.hijacked.connections.open").gauge().value();
	}

}
