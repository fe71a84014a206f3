package dev.socketproxy.upstream;

import java.nio.file.Path;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The fast path's link to the Unix socket for one client connection: its own connection
 * to the socket, on the client connection's event loop, opened at the first request and
 * kept alive between requests for as long as the socket keeps it alive. A request goes
 * as HTTP/1.1 without its hop-by-hop headers, exactly as the gateway sends it.
 * <p>
 * Whatever the socket sends while no request waits for it is not an answer to anything
 * judged, and neither is a {@code 1xx} (a {@code GET} or {@code HEAD} without a body
 * expects none) or anything the decoder cannot read: the connection to the socket is
 * closed.
 */
final class UnixSocketLink implements SocketLink {

	/** The limits Reactor Netty's HTTP client applies to the socket's response heads. */
	private static final HttpDecoderConfig RESPONSE_DECODER = new HttpDecoderConfig().setMaxInitialLineLength(4096)
		.setMaxHeaderSize(8192);

	private final Channel client;

	private final Path socket;

	private final HopByHopHeaders hopByHop;

	/** The connection to the socket, kept alive between requests. */
	private Channel upstream;

	/** Who waits for the socket's answer, from sending the request until the answer ends. */
	private Receiver receiver;

	private boolean socketKeepsAlive;

	UnixSocketLink(Channel client, Path socket, HopByHopHeaders hopByHop) {
		this.client = client;
		this.socket = socket;
		this.hopByHop = hopByHop;
	}

	@Override
	public void send(HttpRequest head, Receiver receiver) {
		this.receiver = receiver;
		if (this.upstream != null && this.upstream.isActive()) {
			write(head, this.upstream);
			return;
		}
		UnixSocketAddresses.bootstrapBeside(this.client).handler(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline().addLast(new HttpClientCodec(RESPONSE_DECODER, false, false), new SocketResponses());
			}

		}).connect(UnixSocketAddresses.sameTransportAs(this.client, this.socket)).addListener((ChannelFuture connected) -> {
			if (receiver != this.receiver) {
				connected.channel().close();
			}
			else if (!connected.isSuccess()) {
				this.receiver = null;
				receiver.unreachable();
			}
			else if (!this.client.isActive()) {
				connected.channel().close();
			}
			else {
				this.upstream = connected.channel();
				write(head, this.upstream);
			}
		});
	}

	private void write(HttpRequest request, Channel upstream) {
		HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
				request.headers().copy());
		this.hopByHop.removeFromRequest(head.headers());
		upstream.write(head, upstream.voidPromise());
		upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFuture written) -> {
			if (!written.isSuccess()) {
				written.channel().close();
			}
		});
	}

	@Override
	public void clientWritable(boolean writable) {
		if (this.upstream != null) {
			this.upstream.config().setAutoRead(writable);
		}
	}

	@Override
	public void close() {
		this.receiver = null;
		if (this.upstream != null) {
			this.upstream.close();
			this.upstream = null;
		}
	}

	/** The answer has ended: the next request may reuse the connection if the socket keeps it alive. */
	private void ended(LastHttpContent end) {
		Receiver answered = this.receiver;
		this.receiver = null;
		if (!this.socketKeepsAlive) {
			this.upstream.close();
			this.upstream = null;
		}
		answered.end(end);
	}

	/**
	 * The socket sent what is not a valid answer: its connection goes, and whatever else
	 * it sent in the same read with it.
	 */
	private void notAnAnswer(ChannelHandlerContext ctx) {
		this.upstream = null;
		ctx.close();
		failed();
	}

	private void failed() {
		Receiver failed = this.receiver;
		this.receiver = null;
		failed.failed();
	}

	/** Reads the socket's responses on the upstream connection and passes them on. */
	private final class SocketResponses extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			Receiver receiver = UnixSocketLink.this.receiver;
			if (receiver == null || ctx.channel() != UnixSocketLink.this.upstream) {
				ReferenceCountUtil.release(msg);
				ctx.close();
				return;
			}
			if (msg instanceof HttpResponse response) {
				if (response.decoderResult().isFailure()
						|| response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
					ReferenceCountUtil.release(msg);
					notAnAnswer(ctx);
					return;
				}
				UnixSocketLink.this.socketKeepsAlive = HttpUtil.isKeepAlive(response);
				UnixSocketLink.this.hopByHop.removeFromResponse(response.headers());
				receiver.head(response);
			}
			if (msg instanceof LastHttpContent end) {
				if (end.decoderResult().isFailure()) {
					end.release();
					notAnAnswer(ctx);
					return;
				}
				ended(end);
			}
			else if (msg instanceof HttpContent content) {
				receiver.content(content);
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			if (UnixSocketLink.this.receiver != null) {
				UnixSocketLink.this.receiver.readComplete();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel() == UnixSocketLink.this.upstream) {
				UnixSocketLink.this.upstream = null;
				if (UnixSocketLink.this.receiver != null) {
					failed();
				}
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
