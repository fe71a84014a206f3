package dev.socketproxy.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Closes a connection whose next request head has not fully arrived within the timeout,
 * counted from the connection's start or from the end of the previous response: a
 * client that trickles header bytes (slowloris) or idles between requests holds the
 * connection for that long at most. While a request is being answered the deadline is
 * off, so a streamed response ({@code /events}, {@code logs -f}) runs as long as it
 * needs; after {@code 101 Switching Protocols} the connection is no longer HTTP and the
 * deadline never comes back.
 */
final class RequestHeadDeadline extends ChannelDuplexHandler {

	private final long timeoutNanos;

	private ScheduledFuture<?> deadline;

	private int unanswered;

	private boolean informational;

	private boolean upgraded;

	RequestHeadDeadline(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
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
			this.unanswered++;
			cancel();
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response) {
			HttpResponseStatus status = response.status();
			this.upgraded |= status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
			this.informational = status.codeClass() == HttpStatusClass.INFORMATIONAL;
		}
		if (msg instanceof LastHttpContent && !this.informational && !this.upgraded && this.unanswered > 0) {
			this.unanswered--;
			if (this.unanswered == 0) {
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

	private void arm(ChannelHandlerContext ctx) {
		cancel();
		this.deadline = ctx.executor().schedule(() -> {
			if (this.unanswered == 0 && !this.upgraded) {
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
