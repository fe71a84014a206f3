package dev.socketproxy.upstream;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.socketproxy.access.AccessPolicy;
import dev.socketproxy.access.ActivePolicy;
import dev.socketproxy.access.Admission;
import dev.socketproxy.access.ClientSelector;
import dev.socketproxy.access.HostnameAddresses;
import dev.socketproxy.access.RequestHeadChecks;
import dev.socketproxy.access.RequestRecorder;
import dev.socketproxy.config.AccessRules;
import dev.socketproxy.metrics.ProxyMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the fast path forwards, and in which order, on an embedded channel with
 * a stand-in for the link to the socket; what reaches the gateway is what leaves the
 * pipeline's end.
 */
class FastPathHandlerTest {

	private final ExchangeTracker exchanges = new ExchangeTracker();

	private final RecordingLink socket = new RecordingLink();

	private final List<Object> gateway = new ArrayList<>();

	private final EmbeddedChannel channel = new TcpChannel();

	FastPathHandlerTest() {
		ShutdownCloseHold closes = new ShutdownCloseHold(new FastPathShutdown(Duration.ofSeconds(1)));
		this.channel.pipeline()
			.addLast(this.exchanges,
					new FastPathHandler(admission(), this.socket, recorder(), this.exchanges, closes),
					closes, new ChannelInboundHandlerAdapter() {

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							FastPathHandlerTest.this.gateway.add(msg);
						}

					});
	}

	@AfterEach
	void release() {
		this.gateway.forEach(ReferenceCountUtil::release);
		this.channel.finishAndReleaseAll();
	}

	@Test
	void anAllowedRequestGoesToTheSocketAndItsAnswerToTheClient() {
		request("/_ping");
		assertThat(this.socket.sent).extracting(HttpRequest::uri).containsExactly("/_ping");
		assertThat(this.gateway).isEmpty();

		HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
		this.socket.receiver.head(head);
		this.socket.receiver.content(new DefaultHttpContent(Unpooled.copiedBuffer("O", StandardCharsets.US_ASCII)));
		this.socket.receiver.end(LastHttpContent.EMPTY_LAST_CONTENT);

		HttpResponse written = this.channel.readOutbound();
		assertThat(HttpUtil.isTransferEncodingChunked(written)).as("a body until the socket closes").isTrue();
		ReferenceCountUtil.release(this.channel.readOutbound());
		assertThat((Object) this.channel.readOutbound()).isInstanceOf(LastHttpContent.class);
		assertThat(this.exchanges.answered()).isEqualTo(1);
	}

	@Test
	void everythingElseGoesToTheGatewayUnchanged() {
		request("/v1.41/containers/json");
		assertThat(this.socket.sent).isEmpty();
		assertThat(this.gateway).hasSize(2);
		assertThat(((HttpRequest) this.gateway.get(0)).uri()).isEqualTo("/v1.41/containers/json");
	}

	@Test
	void pipelinedRequestsWaitForTheForwardedAnswerAndKeepTheirOrder() {
		request("/_ping");
		request("/v1.41/containers/json");
		request("/_ping");
		assertThat(this.socket.sent).hasSize(1);
		assertThat(this.gateway).isEmpty();
		assertThat(this.channel.config().isAutoRead()).isFalse();

		answer(HttpResponseStatus.OK);
		assertThat(this.gateway).as("after the answer: the refused one, then the allowed one, as the gateway owes")
			.hasSize(4);
		assertThat(((HttpRequest) this.gateway.get(0)).uri()).isEqualTo("/v1.41/containers/json");
		assertThat(((HttpRequest) this.gateway.get(2)).uri()).isEqualTo("/_ping");
		assertThat(this.socket.sent).hasSize(1);
		assertThat(this.channel.config().isAutoRead()).isTrue();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN),
				new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		request("/_ping");
		assertThat(this.socket.sent).as("all answered: forwarded again").hasSize(2);
	}

	@Test
	void aRequestTheSocketCouldNotTakeIsHandedBackToTheGateway() {
		request("/_ping");
		this.socket.receiver.unreachable();
		assertThat(this.gateway).hasSize(2);
		assertThat(((HttpRequest) this.gateway.get(0)).uri()).isEqualTo("/_ping");
		assertThat(this.gateway.get(1)).isEqualTo(LastHttpContent.EMPTY_LAST_CONTENT);

		request("/_ping");
		assertThat(this.socket.sent).as("the gateway owes the answer to the one handed back").hasSize(1);
		assertThat(this.gateway).hasSize(4);
	}

	@Test
	void aSocketThatFailsBeforeAnsweringHandsBackAfterAnsweringClosesTheClient() {
		request("/_ping");
		this.socket.receiver.failed();
		assertThat(this.gateway).hasSize(2);
		assertThat(this.channel.isOpen()).isTrue();

		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY));
		request("/_ping");
		this.socket.receiver.head(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		this.socket.receiver.readComplete();
		this.socket.receiver.failed();
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.socket.closed).isTrue();
	}

	@Test
	void aClientThatAsksToCloseGetsItsAnswerThenTheClose() {
		HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/_ping");
		request.headers().set(HttpHeaderNames.HOST, "docker").set(HttpHeaderNames.CONNECTION, "close");
		this.channel.writeInbound(request, LastHttpContent.EMPTY_LAST_CONTENT);

		answer(HttpResponseStatus.OK);
		assertThat(HttpUtil.isKeepAlive(this.channel.readOutbound())).isFalse();
		assertThat(this.channel.isOpen()).isFalse();
	}

	private void request(String uri) {
		HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
		request.headers().set(HttpHeaderNames.HOST, "docker");
		this.channel.writeInbound(request, LastHttpContent.EMPTY_LAST_CONTENT);
	}

	private void answer(HttpResponseStatus status) {
		HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
		head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
		this.socket.receiver.head(head);
		this.socket.receiver.end(LastHttpContent.EMPTY_LAST_CONTENT);
	}

	private static RequestRecorder recorder() {
		return new RequestRecorder(new ProxyMetrics(new SimpleMeterRegistry()), () -> {
		});
	}

	private static Admission admission() {
		AccessRules rules = new AccessRules(Map.of("GET", List.of("/_ping")), List.of(), List.of(), false, List.of(), false, null, null);
		ActivePolicy policy = new ActivePolicy(AccessPolicy.compile(List.of("127.0.0.1/32"), rules, "socket-proxy"));
		return new Admission(
				new ClientSelector(policy, new HostnameAddresses(Duration.ofSeconds(10)), Optional.empty()), policy,
				new RequestHeadChecks(100), false, false);
	}

	/** A client connection from 127.0.0.1, as the admission needs one. */
	private static final class TcpChannel extends EmbeddedChannel {

		@Override
		protected SocketAddress remoteAddress0() {
			return new InetSocketAddress("127.0.0.1", 50000);
		}

	}

	private static final class RecordingLink implements SocketLink {

		private final List<HttpRequest> sent = new ArrayList<>();

		private SocketLink.Receiver receiver;

		private boolean closed;

		@Override
		public void send(HttpRequest head, Receiver receiver) {
			this.sent.add(head);
			this.receiver = receiver;
		}

		@Override
		public void clientWritable(boolean writable) {
		}

		@Override
		public void close() {
			this.closed = true;
		}

	}

}
