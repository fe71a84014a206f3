package dev.socketproxy.compat;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.ReceivedRequest;

import static org.assertj.core.api.Assertions.assertThat;

class Http11RequestLineTest {

	private static final HttpVersion HTTP_3 = HttpVersion.valueOf("HTTP/3.0");

	private final LoopResources nio = LoopResources.create("nio-canary", 1, true);

	@TempDir
	Path dir;

	@AfterEach
	void disposeLoops() {
		this.nio.disposeLater().block(Duration.ofSeconds(10));
	}

	@Test
	void aRequestOfAnotherVersionLeavesAsHttp11() {
		EmbeddedChannel channel = new EmbeddedChannel(Http11RequestLine.INSTANCE);

		channel.writeOutbound(new DefaultHttpRequest(HTTP_3, HttpMethod.GET, "/info"));

		HttpRequest written = channel.readOutbound();
		assertThat(written.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
		assertThat(written.uri()).isEqualTo("/info");
	}

	@Test
	void anHttp11RequestAndRawBytesPassUnchanged() {
		EmbeddedChannel channel = new EmbeddedChannel(Http11RequestLine.INSTANCE);
		HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/build");
		ByteBuf bytes = Unpooled.wrappedBuffer(new byte[] { 1, 2, 3 });

		channel.writeOutbound(request, bytes);

		assertThat((Object) channel.readOutbound()).isSameAs(request);
		assertThat((Object) channel.readOutbound()).isSameAs(bytes);
		bytes.release();
	}

	/**
	 * The canary: Reactor Netty's client itself, on the NIO transport, to a Unix socket
	 * that parses requests as dockerd does.
	 */
	@Test
	void reactorNettyStillSendsHttp3OnTheNioUnixSocketChannel() {
		try (RawUnixSocketServer server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"),
				RawUnixSocketServer.dockerLike())) {
			int status = get(client(server.socketPath()), "/info");

			List<ReceivedRequest> received = server.received();
			assertThat(received).hasSize(1);
			assertThat(received.get(0).head())
				.as("Reactor Netty sends HTTP/1.1 on NIO's Unix-socket channel itself now: the workaround "
						+ "Http11RequestLine can go (and its installation in UnixSocketHttpClientFactory)")
				.startsWith("GET /info HTTP/3.0\r\n");
			assertThat(status).isEqualTo(400);
		}
	}

	@Test
	void withTheHandlerInstalledAsTheGatewaysClientHasItTheRequestIsHttp11() {
		try (RawUnixSocketServer server = RawUnixSocketServer.start(this.dir.resolve("engine.sock"),
				RawUnixSocketServer.dockerLike())) {
			HttpClient client = client(server.socketPath()).doOnChannelInit((observer, channel, address) -> channel
				.pipeline()
				.addAfter(NettyPipeline.HttpCodec, Http11RequestLine.NAME, Http11RequestLine.INSTANCE));

			int status = get(client, "/info");

			assertThat(server.requestHeads()).singleElement().asString().startsWith("GET /info HTTP/1.1\r\n");
			assertThat(status).isEqualTo(200);
		}
	}

	private HttpClient client(Path socket) {
		return HttpClient.create(ConnectionProvider.newConnection())
			.runOn(this.nio, false)
			.remoteAddress(() -> UnixDomainSocketAddress.of(socket));
	}

	private static int get(HttpClient client, String path) {
		return client.get()
			.uri(path)
			.responseSingle((response, body) -> body.then().thenReturn(response.status().code()))
			.block(Duration.ofSeconds(30));
	}

}
