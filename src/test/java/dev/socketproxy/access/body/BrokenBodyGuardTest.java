package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the guard right behind the HTTP codec does with what the codec decoded: a body it
 * could not read fails the request while Reactor Netty still serves it, and closes the
 * connection quietly once the request was answered; everything else passes unchanged.
 */
class BrokenBodyGuardTest {

	private static final String CHUNKED_HEAD = "POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\n"
			+ "Transfer-Encoding: chunked\r\n\r\n";

	private final Recorder behind = new Recorder();

	@Test
	void aWellFormedChunkedRequestPassesUnchanged() {
		EmbeddedChannel channel = behindTheCodec();
		channel.writeInbound(bytes(CHUNKED_HEAD + "5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n"));

		assertThat(this.behind.messages).hasSize(4);
		assertThat(this.behind.messages.get(0)).isInstanceOf(HttpRequest.class);
		assertThat(text(this.behind.messages.get(1))).isEqualTo("{\"a\":");
		assertThat(text(this.behind.messages.get(2))).isEqualTo("1}");
		assertThat(this.behind.messages.get(3)).isInstanceOf(LastHttpContent.class);
		assertThat(this.behind.errors).isEmpty();
		assertThat(channel.isOpen()).isTrue();
		this.behind.releaseAll();
		assertThat(channel.finishAndReleaseAll()).isFalse();
	}

	@Test
	void aBodyWithABadChunkSizeFailsTheRequestReactorNettyStillServes() {
		EmbeddedChannel channel = behindTheCodec();
		servedByReactorNetty(channel);
		channel.writeInbound(bytes(CHUNKED_HEAD + "5\r\n{\"a\":\r\nzz\r\n1}\r\n0\r\n\r\n"));

		assertThat(this.behind.messages).as("head and the well-formed chunk; no end of the body").hasSize(2);
		assertThat(this.behind.messages.get(0)).isInstanceOf(HttpRequest.class);
		assertThat(text(this.behind.messages.get(1))).isEqualTo("{\"a\":");
		assertThat(this.behind.errors).singleElement()
			.isInstanceOf(InvalidBodyException.class)
			.extracting(Throwable::getMessage)
			.isEqualTo("malformed body: Invalid character in chunk size");
		assertThat(channel.isOpen()).as("Reactor Netty answers; the guard does not close").isTrue();
		this.behind.releaseAll();
		channel.finishAndReleaseAll();
	}

	@Test
	void aBodyBrokenAfterItsRequestWasAnsweredClosesTheConnectionQuietly() {
		EmbeddedChannel channel = behindTheCodec();
		channel.writeInbound(bytes(CHUNKED_HEAD + "5\r\n{\"a\":\r\nzz\r\n"));

		assertThat(this.behind.messages).hasSize(2);
		assertThat(this.behind.errors).as("nothing for Reactor Netty to log as uncaught").isEmpty();
		assertThat(channel.isOpen()).isFalse();
		this.behind.releaseAll();
		channel.finishAndReleaseAll();
	}

	@Test
	void theFailedContentIsReleasedAndNotPassedOnInEitherCase() {
		EmbeddedChannel served = behind();
		servedByReactorNetty(served);
		HttpContent whileServed = failedContent("cut short");
		served.writeInbound(whileServed);

		assertThat(whileServed.refCnt()).isZero();
		assertThat(this.behind.messages).isEmpty();
		assertThat(this.behind.errors).singleElement()
			.extracting(Throwable::getMessage)
			.isEqualTo("malformed body: cut short");

		EmbeddedChannel answered = behind();
		HttpContent afterAnswer = failedContent("cut short");
		answered.writeInbound(afterAnswer);

		assertThat(afterAnswer.refCnt()).isZero();
		assertThat(this.behind.messages).isEmpty();
		assertThat(answered.isOpen()).isFalse();
	}

	@Test
	void aWellFormedChunkPassesAsTheSameUnreleasedMessage() {
		EmbeddedChannel channel = behind();
		HttpContent chunk = new DefaultHttpContent(bytes("{}"));
		channel.writeInbound(chunk);

		assertThat(this.behind.messages).singleElement().isSameAs(chunk);
		assertThat(chunk.refCnt()).isOne();
		this.behind.releaseAll();
		assertThat(chunk.refCnt()).isZero();
	}

	/** A request line the decoder cannot read comes as a failed full request: head and (empty) body in one. */
	@Test
	void aRequestLineTheDecoderCouldNotReadPassesOnForReactorNettyToAnswer() {
		EmbeddedChannel channel = behindTheCodec();
		servedByReactorNetty(channel);
		channel.writeInbound(bytes("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: docker\r\n\r\n"));

		assertThat(this.behind.messages).singleElement().isInstanceOf(FullHttpRequest.class);
		FullHttpRequest request = (FullHttpRequest) this.behind.messages.get(0);
		assertThat(request.decoderResult().isFailure()).isTrue();
		assertThat(this.behind.errors).isEmpty();
		assertThat(channel.isOpen()).isTrue();
		this.behind.releaseAll();
		assertThat(request.refCnt()).isZero();
		channel.finishAndReleaseAll();
	}

	@Test
	void aRequestHeadTheDecoderCouldNotReadPassesOnForReactorNettyToAnswer() {
		EmbeddedChannel channel = behindTheCodec();
		channel.writeInbound(bytes("POST /v1.41/containers/create HTTP/1.1\r\nHost: docker\r\n"
				+ "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"));

		assertThat(this.behind.messages).singleElement()
			.isInstanceOf(HttpRequest.class)
			.extracting((request) -> ((HttpRequest) request).decoderResult().isFailure())
			.isEqualTo(true);
		assertThat(this.behind.errors).isEmpty();
		assertThat(channel.isOpen()).isTrue();
		channel.finishAndReleaseAll();
	}

	/** The guard behind Reactor Netty's codec, as {@code ClientPipeline} puts it. */
	private EmbeddedChannel behindTheCodec() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline()
			.addLast(NettyPipeline.HttpCodec, new HttpServerCodec())
			.addLast(new BrokenBodyGuard())
			.addLast(this.behind);
		return channel;
	}

	/** The guard alone, fed hand-made decoded messages. */
	private EmbeddedChannel behind() {
		return new EmbeddedChannel(new BrokenBodyGuard(), this.behind);
	}

	/** Reactor Netty binds its operations to the connection while it serves a request. */
	private static void servedByReactorNetty(EmbeddedChannel channel) {
		new ChannelOperations<>(reactor.netty.Connection.from(channel), ConnectionObserver.emptyListener()).bind();
		assertThat(ChannelOperations.get(channel)).isNotNull();
	}

	private static HttpContent failedContent(String cause) {
		HttpContent content = new DefaultHttpContent(bytes("{\"Ima"));
		content.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(cause)));
		return content;
	}

	private static ByteBuf bytes(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
	}

	private static String text(Object message) {
		return ((HttpContent) message).content().toString(StandardCharsets.ISO_8859_1);
	}

	/** Stands for Reactor Netty's handlers behind the guard: keeps what reaches them. */
	private static final class Recorder extends ChannelInboundHandlerAdapter {

		final List<Object> messages = new ArrayList<>();

		final List<Throwable> errors = new ArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.messages.add(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.errors.add(cause);
		}

		@Override
		public boolean isSharable() {
			return true;
		}

		void releaseAll() {
			this.messages.forEach(ReferenceCountUtil::release);
		}

	}

}
