package dev.socketproxy.upstream;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Holds back a close of a client connection while the proxy shuts down and the
 * {@link FastPathHandler} is forwarding a response on it, so that the response may end
 * within the grace time ({@link FastPathShutdown} waits for it, then cuts it).
 * <p>
 * Sits right behind the fast path, on the side of Reactor Netty's handlers, whose closes
 * (the graceful shutdown's among them) pass it; the fast path's own closes do not.
 */
final class ShutdownCloseHold extends ChannelOutboundHandlerAdapter implements FastPathShutdown.ClientConnection {

	private final FastPathShutdown shutdown;

	private ChannelHandlerContext context;

	/** Read by the shutdown from its own thread. */
	private volatile boolean responding;

	private ChannelPromise heldClose;

	ShutdownCloseHold(FastPathShutdown shutdown) {
		this.shutdown = shutdown;
	}

	/** Whether a forwarded request is at the socket and its response has not ended yet. */
	void responding(boolean responding) {
		this.responding = responding;
	}

	/**
	 * If a close was held, does it once {@code written}, the end of the response, is done.
	 * @return whether a held close takes the connection
	 */
	boolean closeHeldAfter(ChannelFuture written) {
		if (this.heldClose == null) {
			return false;
		}
		written.addListener((done) -> closeNow());
		return true;
	}

	/**
	 * If a close was held, does it now.
	 * @return whether a held close takes the connection
	 */
	boolean closeHeld() {
		if (this.heldClose == null) {
			return false;
		}
		closeNow();
		return true;
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (this.responding && this.shutdown.draining()) {
			this.heldClose = promise;
			return;
		}
		ctx.close(promise);
	}

	@Override
	public boolean responding() {
		return this.responding;
	}

	@Override
	public void closeNow() {
		this.context.executor().execute(() -> {
			ChannelPromise promise = (this.heldClose != null) ? this.heldClose : this.context.newPromise();
			this.heldClose = null;
			this.context.close(promise);
		});
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
		this.shutdown.opened(this);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.shutdown.closed(this);
	}

}
