package dev.socketproxy.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.socketproxy.compat.TunnelOutbound;

/**
 * Copies raw bytes between two connections in both directions until both are done.
 * <p>
 * One read per direction is in flight at a time: the next read starts when the previous
 * bytes have been written to the other side, so memory stays constant however fast one
 * side sends and however slowly the other reads. A half-close travels through: when one
 * side stops sending (stdin EOF of {@code docker exec -i}), the other side's output is
 * shut down after everything before it was written, and the connection keeps carrying
 * the answer back. Both connections close when both directions have ended, or when
 * either one fails or closes.
 * <p>
 * Both channels must run on the same event loop; the state needs no locking then.
 */
final class ByteSplice {

	private static final Logger logger = LoggerFactory.getLogger(ByteSplice.class);

	private final TunnelOutbound client;

	private final TunnelOutbound upstream;

	private int directionsEnded;

	private ByteSplice(Channel client, Channel upstream) {
		this.client = new TunnelOutbound(client);
		this.upstream = new TunnelOutbound(upstream);
	}

	/**
	 * Starts copying; the channels' handlers must already be gone and auto-read off.
	 * @param clientInputEnded whether the client half-closed before the splice started
	 * @param upstreamInputEnded whether the socket half-closed before the splice started
	 */
	static void start(Channel client, Channel upstream, String beforeHandler, boolean clientInputEnded,
			boolean upstreamInputEnded) {
		ByteSplice splice = new ByteSplice(client, upstream);
		client.pipeline().addBefore(beforeHandler, "socketproxy.splice", splice.new Direction(splice.upstream));
		upstream.pipeline().addLast("socketproxy.splice", splice.new Direction(splice.client));
		if (clientInputEnded) {
			splice.inputEnded(splice.upstream);
		}
		else {
			client.read();
		}
		if (upstreamInputEnded) {
			splice.inputEnded(splice.client);
		}
		else {
			upstream.read();
		}
	}

	/** One side stopped sending: pass the half-close on once its bytes are written. */
	private void inputEnded(TunnelOutbound target) {
		this.directionsEnded++;
		if (this.directionsEnded == 2) {
			afterPendingWrites(target, ChannelFutureListener.CLOSE);
			afterPendingWrites(peerOf(target), ChannelFutureListener.CLOSE);
		}
		else {
			afterPendingWrites(target, (done) -> ((DuplexChannel) target.channel()).shutdownOutput());
		}
	}

	private void closeBoth() {
		this.client.channel().close();
		this.upstream.channel().close();
	}

	private TunnelOutbound peerOf(TunnelOutbound outbound) {
		return (outbound == this.client) ? this.upstream : this.client;
	}

	private static void afterPendingWrites(TunnelOutbound target, ChannelFutureListener then) {
		target.send(Unpooled.EMPTY_BUFFER).addListener(then);
	}

	/** Reads from the channel it is installed on and writes to {@code target}. */
	private final class Direction extends ChannelInboundHandlerAdapter {

		private final TunnelOutbound target;

		Direction(TunnelOutbound target) {
			this.target = target;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			this.target.send(msg).addListener((ChannelFuture written) -> {
				if (written.isSuccess()) {
					readMore(ctx);
				}
				else {
					closeBoth();
				}
			});
		}

		/** Asking a half-closed connection for more input fails and closes it, answer and all. */
		private void readMore(ChannelHandlerContext ctx) {
			if (!((DuplexChannel) ctx.channel()).isInputShutdown()) {
				ctx.read();
			}
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof ChannelInputShutdownEvent) {
				inputEnded(this.target);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			afterPendingWrites(this.target, ChannelFutureListener.CLOSE);
			ctx.fireChannelInactive();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			logger.atDebug().addKeyValue("error", cause.toString()).log("tunnel connection failed");
			closeBoth();
		}

	}

}
