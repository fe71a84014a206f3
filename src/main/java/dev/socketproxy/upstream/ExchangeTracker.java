package dev.socketproxy.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The one count of a client connection's requests and responses, and its state: judged
 * HTTP, then (after an upgrade request) waiting for that request's answer, then switched
 * to another protocol. The request head deadline, the {@link UpgradeRequestGuard} and the
 * {@link FastPathHandler} read it; none of them counts on its own.
 * <p>
 * Sits behind the HTTP codec, with nothing between them that holds or makes request
 * heads or responses (see {@code ClientPipeline}): every request head the decoder reads
 * passes it, and so does every response anyone writes, the fast path's, the gateway's
 * and Reactor Netty's own error answers alike. Requests are numbered from 1 in the order
 * they are read; HTTP/1.1 answers them in that order, so request {@code n} is answered
 * once {@link #answered()} reaches {@code n}. A response is final at its
 * {@link LastHttpContent}, unless its head was a {@code 1xx} other than {@code 101}
 * ({@code 100 Continue}), which another response follows. A {@code 101} answers its
 * request and ends HTTP on the connection: nothing is counted after it. (The tunnel
 * writes the engine's {@code 101} as raw bytes, after removing this handler with the
 * other HTTP handlers, which ends the tracking just the same.)
 * <p>
 * Used on the connection's event loop only.
 */
public final class ExchangeTracker extends ChannelDuplexHandler {

	/** Where the connection stands. */
	public enum State {

		/** Requests are decoded and judged one by one. */
		HTTP,

		/** An upgrade request was read; HTTP decoding stops at its end, whatever its answer. */
		UPGRADE_REQUESTED,

		/** A {@code 101} went out: the connection carries another protocol. */
		SWITCHED

	}

	private State state = State.HTTP;

	private long read;

	private long answered;

	private long upgradeRequest;

	private boolean informational;

	/** How many request heads were read; the number of the latest one. */
	public long read() {
		return this.read;
	}

	/** How many requests have had their final response written. */
	public long answered() {
		return this.answered;
	}

	/** Whether every request read so far has been answered. */
	public boolean allAnswered() {
		return this.answered == this.read;
	}

	public State state() {
		return this.state;
	}

	/**
	 * The latest request read asks to switch protocols: the connection stays HTTP only
	 * until that request is answered.
	 */
	void upgradeRequested() {
		this.state = State.UPGRADE_REQUESTED;
		this.upgradeRequest = this.read;
	}

	/** Whether the response being written now, or next, is the answer to the upgrade request. */
	boolean answeringUpgradeRequest() {
		return this.state == State.UPGRADE_REQUESTED && this.answered + 1 == this.upgradeRequest;
	}

	/** Whether the upgrade request has had an answer other than {@code 101}. */
	boolean upgradeRequestAnswered() {
		return this.state == State.UPGRADE_REQUESTED && this.answered >= this.upgradeRequest;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest && this.state != State.SWITCHED) {
			this.read++;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (this.state != State.SWITCHED) {
			count(msg);
		}
		ctx.write(msg, promise);
	}

	private void count(Object msg) {
		if (msg instanceof HttpResponse response) {
			HttpResponseStatus status = response.status();
			if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				this.state = State.SWITCHED;
				this.answered++;
				return;
			}
			this.informational = status.codeClass() == HttpStatusClass.INFORMATIONAL;
		}
		if (msg instanceof LastHttpContent) {
			if (this.informational) {
				this.informational = false;
			}
			else if (this.answered < this.read) {
				this.answered++;
			}
		}
	}

}
