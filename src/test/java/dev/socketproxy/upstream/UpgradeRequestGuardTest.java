package dev.socketproxy.upstream;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP decoding stops after an upgrade request, and any answer to it but a {@code 101}
 * is the connection's last.
 */
class UpgradeRequestGuardTest {

	private static final String EXEC_START = "POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: docker\r\n"
			+ "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 2\r\n\r\n{}";

	private final ExchangeTracker exchanges = new ExchangeTracker();

	private final UpgradeRequestGuard guard = new UpgradeRequestGuard(this.exchanges);

	private final EmbeddedChannel channel = new EmbeddedChannel();

	UpgradeRequestGuardTest() {
		this.channel.pipeline()
			.addLast(NettyPipeline.HttpCodec, new HttpServerCodec())
			.addLast(this.exchanges, this.guard);
	}

	@Test
	void decodingStopsAtTheEndOfAnUpgradeRequestAndWhatFollowsIsHeld() {
		send(EXEC_START + "GET /v1.41/containers/json HTTP/1.1\r\nHost: docker\r\n\r\n");

		HttpRequest request = this.channel.readInbound();
		assertThat(this.guard.isUpgradeRequest(request.headers())).isTrue();
		assertThat(this.exchanges.state()).isEqualTo(ExchangeTracker.State.UPGRADE_REQUESTED);
		release(this.channel.readInbound());
		assertThat((Object) this.channel.readInbound()).as("the bytes after it are not a request").isNull();
		HeldInput held = this.guard.detach();
		assertThat(held.bytes().toString(StandardCharsets.ISO_8859_1)).startsWith("GET /v1.41/containers/json");
		held.bytes().release();
	}

	@Test
	void anAnswerOtherThan101IsTheConnectionsLast() {
		send(EXEC_START + "stdin");
		drainInbound();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));

		assertThat(outbound()).containsIgnoringCase("connection: close");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void theAnswersToEarlierPipelinedRequestsKeepTheConnection() {
		send("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\n\r\n" + EXEC_START);
		drainInbound();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		assertThat(outbound()).doesNotContainIgnoringCase("connection: close");
		assertThat(this.channel.isOpen()).isTrue();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN));
		assertThat(outbound()).containsIgnoringCase("connection: close");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void a100ContinueIsFollowedByTheAnswer() {
		send(EXEC_START);
		drainInbound();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
		assertThat(outbound()).doesNotContainIgnoringCase("connection: close");
		assertThat(this.channel.isOpen()).isTrue();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anUpgradeRequestRefusedBeforeItsBodyClosesTheConnectionAtItsEnd() {
		send(EXEC_START.substring(0, EXEC_START.length() - 2));
		drainInbound();
		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN));
		assertThat(outbound()).containsIgnoringCase("connection: close");
		assertThat(this.channel.isOpen()).as("the rest of the body is still to be read past").isTrue();

		send("{}");
		drainInbound();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anUpgradeHeaderElsewhereLeavesTheConnectionHttp() {
		send("GET /v1.41/version HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
				+ "GET /v1.41/info HTTP/1.1\r\nHost: docker\r\n\r\n");

		HttpRequest first = this.channel.readInbound();
		assertThat(this.guard.isUpgradeRequest(first.headers())).isFalse();
		release(this.channel.readInbound());
		assertThat(((HttpRequest) this.channel.readInbound()).uri()).isEqualTo("/v1.41/info");
		assertThat(this.exchanges.state()).isEqualTo(ExchangeTracker.State.HTTP);
		drainInbound();
	}

	private void send(String bytes) {
		this.channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
	}

	private void drainInbound() {
		for (Object msg = this.channel.readInbound(); msg != null; msg = this.channel.readInbound()) {
			release(msg);
		}
	}

	private String outbound() {
		StringBuilder written = new StringBuilder();
		for (Object msg = this.channel.readOutbound(); msg != null; msg = this.channel.readOutbound()) {
			ByteBuf bytes = (ByteBuf) msg;
			written.append(bytes.toString(StandardCharsets.ISO_8859_1));
			bytes.release();
		}
		return written.toString();
	}

	private static void release(Object msg) {
		if (msg != LastHttpContent.EMPTY_LAST_CONTENT) {
			ReferenceCountUtil.release(msg);
		}
	}

}
