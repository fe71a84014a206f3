package dev.socketproxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Sits behind the listener's HTTP codec and the connection's {@link ExchangeTracker}, and
 * stops HTTP parsing of a connection at the end of a request that asks to switch
 * protocols on an endpoint that does so ({@link HijackedEndpoints}).
 * Whatever the client sends after that request is raw bytes of the new protocol (stdin
 * of {@code docker exec}), possibly in the same packet; left to the HTTP decoder it would
 * be parsed as a broken next request and lost. So the decoder is removed in the same
 * read that completed the request, and the bytes after it are held here, unread further,
 * until {@link UpgradeTunnel} takes the connection over after the engine's {@code 101}.
 * <p>
 * If the request is answered over HTTP instead (refused, the socket unreachable, or any
 * engine answer but {@code 101}), the answer is the connection's last: it says
 * {@code Connection: close} and the connection closes after it, and the held bytes are
 * dropped unread, since nobody judged them.
 * <p>
 * Which response answers the upgrade request, the tracker says; this guard tells it
 * which request that is.
 */
public final class UpgradeRequestGuard extends ChannelDuplexHandler {

	/**
	 * Raw bytes a client may send before the tunnel is up. Docker's clients wait for the
	 * 101; reading stops after each early read, so only a few reads can arrive here.
	 */
	static final int MAX_EARLY_BYTES = 1024 * 1024;

	private final ExchangeTracker exchanges;

	private ChannelHandlerContext context;

	private HttpHeaders upgradeRequestHeaders;

	private boolean raw;

	private CompositeByteBuf early;

	private boolean inputShutdown;

	public UpgradeRequestGuard(ExchangeTracker exchanges) {
		this.exchanges = exchanges;
	}

	/** Whether these are the headers of the request this connection switches protocols after. */
	boolean isUpgradeRequest(HttpHeaders headers) {
		return headers != null && headers == this.upgradeRequestHeaders;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.raw) {
			holdEarlyBytes(ctx, (ByteBuf) msg);
			return;
		}
		if (msg instanceof HttpRequest request && this.upgradeRequestHeaders == null
				&& HijackedEndpoints.isUpgradeRequest(request.method(), request.uri(), request.headers())) {
			this.upgradeRequestHeaders = request.headers();
			this.exchanges.upgradeRequested();
		}
		boolean endOfUpgradeRequest = this.upgradeRequestHeaders != null && msg instanceof LastHttpContent;
		ctx.fireChannelRead(msg);
		if (endOfUpgradeRequest) {
			stopHttpDecoding(ctx);
		}
	}

	private void stopHttpDecoding(ChannelHandlerContext ctx) {
		this.raw = true;
		this.early = ctx.alloc().compositeBuffer();
		ctx.channel().config().setAutoRead(false);
		ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
		// Removing the decoder hands its undecoded rest to the next handler: this one.
		((HttpServerCodec) ctx.pipeline().get(NettyPipeline.HttpCodec)).removeInboundHandler();
		if (this.exchanges.upgradeRequestAnswered()) {
			// Answered (refused) before its body was even read: nothing more can follow.
			ctx.close();
		}
	}

	private void holdEarlyBytes(ChannelHandlerContext ctx, ByteBuf bytes) {
		ctx.channel().config().setAutoRead(false);
		if (this.early.readableBytes() + bytes.readableBytes() > MAX_EARLY_BYTES) {
			bytes.release();
			ctx.close();
			return;
		}
		this.early.addComponent(true, bytes);
	}

	/** The tunnel reads when it is ready for more, nobody else may. */
	@Override
	public void read(ChannelHandlerContext ctx) {
		if (!this.raw) {
			ctx.read();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (this.raw && HeldInput.endsInput(event)) {
			this.inputShutdown = true;
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	/**
	 * Makes the answer to the upgrade request the connection's last, unless it is a
	 * {@code 1xx}: a {@code 100 Continue} is followed by the answer, a {@code 101} by the
	 * tunnel.
	 */
	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (!this.exchanges.answeringUpgradeRequest()) {
			ctx.write(msg, promise);
			return;
		}
		if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
			HttpUtil.setKeepAlive(response, false);
		}
		// The tracker, nearer the codec, counts the answer as this write passes it.
		ChannelFuture written = ctx.write(msg, promise.unvoid());
		if (this.raw && this.exchanges.upgradeRequestAnswered()) {
			written.addListener(ChannelFutureListener.CLOSE);
		}
	}

	/**
	 * Leaves the pipeline and hands over what the client sent after the upgrade request.
	 * @return the early bytes (owned by the caller) and whether the client already half-closed
	 */
	HeldInput detach() {
		if (!this.raw) {
			throw new IllegalStateException("upgrade request not complete yet");
		}
		HeldInput input = new HeldInput(this.early, this.inputShutdown);
		this.early = null;
		this.context.pipeline().remove(this);
		return input;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		ReferenceCountUtil.release(this.early);
		this.early = null;
	}

}
