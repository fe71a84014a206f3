package dev.socketproxy.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the engine's answer to an upgrade request on the connection to the socket, before
 * anything else the client sent is let through: a {@code 101} head switches the
 * connection to a tunnel; any other answer is read whole as the HTTP response it is, and
 * the connection closes. Informational heads before either ({@code 100 Continue}) are
 * dropped: the client's expectation was already answered by the proxy.
 * <p>
 * Reads one buffer at a time (the connection's auto-read is off). After a {@code 101} it
 * stays in place and holds what else arrives (bytes of the new protocol, the engine's
 * half-close) until the tunnel {@linkplain #handOver() takes over}, so nothing is lost
 * while the head is still on its way to the client.
 */
final class UpgradeAnswerReader extends ChannelInboundHandlerAdapter {

	/** Docker's heads are a few hundred bytes; Go's server limits request heads to 1 MB. */
	static final int MAX_HEAD_BYTES = 64 * 1024;

	/** A refusal's JSON error; an answer this large to an upgrade request is no refusal. */
	static final int MAX_ANSWER_BYTES = 1024 * 1024;

	private static final int MAX_INFORMATIONAL_HEADS = 8;

	private static final String DECODER = "socketproxy.upgradeAnswerDecoder";

	private static final ByteBuf HEAD_END = Unpooled
		.unreleasableBuffer(Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII));

	private final Consumer<UpgradeAnswer> answered;

	private final Consumer<Throwable> failed;

	private ByteBuf received;

	private int informationalHeads;

	private boolean done;

	private boolean switched;

	private boolean inputShutdown;

	/**
	 * @param answered called once with the answer, which the callee then owns
	 * @param failed called instead if the socket fails or closes before answering
	 */
	UpgradeAnswerReader(Consumer<UpgradeAnswer> answered, Consumer<Throwable> failed) {
		this.answered = answered;
		this.failed = failed;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		ByteBuf bytes = (ByteBuf) msg;
		if (this.received == null) {
			this.received = ctx.alloc().buffer(bytes.readableBytes());
		}
		this.received.writeBytes(bytes);
		bytes.release();
		if (!this.switched) {
			readHeads(ctx);
		}
	}

	private void readHeads(ChannelHandlerContext ctx) {
		while (true) {
			int headLength = headLength(this.received);
			if (headLength < 0) {
				if (this.received.readableBytes() > MAX_HEAD_BYTES) {
					fail(ctx, new IOException("answer to an upgrade request without a head end in "
							+ MAX_HEAD_BYTES + " bytes"));
				}
				else {
					ctx.read();
				}
				return;
			}
			int status = status(this.received);
			if (status == 101) {
				switched(ctx, headLength);
				return;
			}
			if (status < 100 || status >= 200 || ++this.informationalHeads > MAX_INFORMATIONAL_HEADS) {
				readAsHttp(ctx);
				return;
			}
			this.received.skipBytes(headLength);
		}
	}

	private void switched(ChannelHandlerContext ctx, int headLength) {
		ByteBuf head = this.received.readBytes(headLength);
		this.done = true;
		this.switched = true;
		this.answered.accept(new UpgradeAnswer.Switched(ctx.channel(), head));
	}

	/**
	 * Leaves the pipeline after a {@code 101} and hands over what followed the head.
	 * @return the bytes after the head (owned by the caller) and whether the engine
	 * already half-closed
	 */
	HeldInput handOver(ChannelHandlerContext ctx) {
		ByteBuf after = (this.received != null) ? this.received : Unpooled.EMPTY_BUFFER;
		this.received = null;
		ctx.pipeline().remove(this);
		return new HeldInput(after, this.inputShutdown);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (this.switched && HeldInput.endsInput(event)) {
			this.inputShutdown = true;
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	/** Hands the answer to Netty's own decoder; a malformed one fails there. */
	private void readAsHttp(ChannelHandlerContext ctx) {
		ctx.pipeline()
			.addAfter(ctx.name(), DECODER, new HttpResponseDecoder())
			.addAfter(DECODER, "socketproxy.upgradeAnswerAggregator", new HttpObjectAggregator(MAX_ANSWER_BYTES))
			.addLast("socketproxy.upgradeAnswer", new WholeAnswer());
		ByteBuf bytes = this.received;
		this.received = null;
		ctx.channel().config().setAutoRead(true);
		ctx.fireChannelRead(bytes);
		ctx.fireChannelReadComplete();
		ctx.pipeline().remove(this);
	}

	/** The length of the head at the reader index, blank line included, or -1 if incomplete. */
	static int headLength(ByteBuf bytes) {
		int end = ByteBufUtil.indexOf(HEAD_END, bytes);
		return (end < 0) ? -1 : end + HEAD_END.readableBytes() - bytes.readerIndex();
	}

	/** The status code of the head at the reader index, or -1 if its status line is not HTTP/1.x's. */
	static int status(ByteBuf bytes) {
		int start = bytes.readerIndex();
		if (bytes.readableBytes() < 13 || !bytes.toString(start, 7, StandardCharsets.US_ASCII).equals("HTTP/1.")
				|| (bytes.getByte(start + 7) != '0' && bytes.getByte(start + 7) != '1') || bytes.getByte(start + 8) != ' '
				|| (bytes.getByte(start + 12) != ' ' && bytes.getByte(start + 12) != '\r')) {
			return -1;
		}
		int status = 0;
		for (int i = start + 9; i < start + 12; i++) {
			byte digit = bytes.getByte(i);
			if (digit < '0' || digit > '9') {
				return -1;
			}
			status = status * 10 + (digit - '0');
		}
		return status;
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		fail(ctx, new IOException("socket closed before answering the upgrade request"));
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		fail(ctx, cause);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		ReferenceCountUtil.release(this.received);
		this.received = null;
	}

	private void fail(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
		if (!this.done) {
			this.done = true;
			this.failed.accept(cause);
		}
	}

	/** Receives the decoded answer, or the reason there is none. */
	private final class WholeAnswer extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (done || !(msg instanceof FullHttpResponse response) || response.decoderResult().isFailure()) {
				ReferenceCountUtil.release(msg);
				fail(ctx, new IOException("malformed answer to an upgrade request"));
				return;
			}
			done = true;
			ctx.close();
			answered.accept(new UpgradeAnswer.Answered(response));
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			fail(ctx, new IOException("socket closed in its answer to the upgrade request"));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			fail(ctx, cause);
		}

	}

}
