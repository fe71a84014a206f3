package dev.socketproxy.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import dev.socketproxy.upstream.ExchangeTracker;

/**
 * Closes a connection whose next request head has not fully arrived within the timeout,
 * counted from the connection's start or from the end of the previous response: a
 * client that trickles header bytes (slowloris) or idles between requests holds the
 * connection for that long at most. While a request is being answered the deadline is
 * off, so a streamed response ({@code /events}, {@code logs -f}) runs as long as it
 * needs; after {@code 101 Switching Protocols} the connection is no longer HTTP and the
 * deadline never comes back. What is answered and what is not, the connection's
 * {@link ExchangeTracker} says.
 * <p>
 * Sits between the HTTP codec and the tracker, so that it sees each response's end after
 * the tracker has counted it.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

	private final long timeoutNanos;

	private final ExchangeTracker exchanges;

	private ScheduledFuture<?> deadline;

	/** The tracker's count of answered requests when this handler last looked. */
	private long answered;

	RequestHeadDeadline(Duration timeout, ExchangeTracker exchanges) {
		this.timeoutNanos = timeout.toNanos();
		this.exchanges = exchanges;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			arm(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		arm(ctx);
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest) {
			cancel();
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof LastHttpContent && this.exchanges.answered() != this.answered) {
			this.answered = this.exchanges.answered();
			if (waitingForRequest()) {
				arm(ctx);
			}
		}
		ctx.write(msg, promise);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancel();
		ctx.fireChannelInactive();
	}

	private boolean waitingForRequest() {
		return this.exchanges.allAnswered() && this.exchanges.state() != ExchangeTracker.State.SWITCHED;
	}

	private void arm(ChannelHandlerContext ctx) {
		cancel();
		this.deadline = ctx.executor().schedule(() -> {
			if (waitingForRequest()) {
				ctx.close();
			}
		}, this.timeoutNanos, TimeUnit.NANOSECONDS);
	}

	private void cancel() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

}
