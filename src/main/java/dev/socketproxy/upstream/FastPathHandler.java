package dev.socketproxy.upstream;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.RequestRecorder;

/**
 * Forwards the requests that {@link Admission#immediate} allows outright ({@code GET} and
 * {@code HEAD} without a body, what polling clients send nearly all the time) straight
 * to the socket, bypassing WebFlux and the gateway's filter chain, which cost several
 * times the CPU of the forwarding itself. Every other request goes on to the gateway
 * unchanged, so refusals, bodies, upgrades, report-only findings and errors keep their
 * one implementation there.
 * <p>
 * Sits ahead of Reactor Netty's HTTP handler, behind the {@link ExchangeTracker}. A
 * request goes over the connection's {@link SocketLink} as a {@link ForwardedRequest}.
 * Responses stay in request order: a request is forwarded only if every request before
 * it has been answered (the tracker's count), so one that arrives while the gateway
 * still owes an answer goes to the gateway, which answers pipelined requests in order;
 * while a forwarded response is open, reading from the client pauses and requests
 * already decoded wait here.
 * <p>
 * If the socket cannot be reached, or closes before it answered, the request is handed
 * to the gateway as if it had never been forwarded ({@code GET} and {@code HEAD} are
 * safe to repeat): the gateway then answers 502 and logs and counts it as usual.
 */
final class FastPathHandler extends ChannelInboundHandlerAdapter implements ForwardedRequest.Outcome {

	private final Admission admission;

	private final SocketLink socket;

	private final RequestRecorder recorder;

	private final ExchangeTracker exchanges;

	private final ShutdownCloseHold closes;

	/** Decoded messages that arrived while a forwarded response was open. */
	private final ArrayDeque<Object> waiting = new ArrayDeque<>();

	private ChannelHandlerContext context;

	/** The request being forwarded, from its head until the end of its response. */
	private ForwardedRequest forwarding;

	/** Whether {@link #forwarding} has ended and gone to the socket, until its response ends. */
	private boolean responding;

	FastPathHandler(Admission admission, SocketLink socket, RequestRecorder recorder, ExchangeTracker exchanges,
			ShutdownCloseHold closes) {
		this.admission = admission;
		this.socket = socket;
		this.recorder = recorder;
		this.exchanges = exchanges;
		this.closes = closes;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// The tracker, just ahead, has counted this request: its number is the count.
		Object arrived = (msg instanceof HttpRequest request) ? new Arrived(request, this.exchanges.read()) : msg;
		if (!this.waiting.isEmpty() || this.responding) {
			this.waiting.add(arrived);
			ctx.channel().config().setAutoRead(false);
			return;
		}
		dispatch(arrived);
	}

	private void dispatch(Object msg) {
		if (this.forwarding != null) {
			// The decoder ends a request without a body with an empty last content, at once.
			if (msg instanceof LastHttpContent end && end.content().readableBytes() == 0) {
				end.release();
				responding(true);
				this.forwarding.send(this.socket);
			}
			else {
				toGateway(this.forwarding.head());
				this.forwarding = null;
				toGateway(msg);
			}
			return;
		}
		if (msg instanceof Arrived arrived && this.exchanges.answered() == arrived.number - 1) {
			Optional<Admission.Verdict> admitted = admit(arrived.request);
			if (admitted.isPresent()) {
				this.forwarding = new ForwardedRequest(this.context, arrived.request, admitted.get(), this.recorder, this);
				return;
			}
		}
		toGateway(msg);
	}

	private Optional<Admission.Verdict> admit(HttpRequest request) {
		if (!request.decoderResult().isSuccess()
				|| !(this.context.channel().remoteAddress() instanceof InetSocketAddress peer)
				|| peer.getAddress() == null) {
			return Optional.empty();
		}
		return this.admission.immediate(request.method(), request.protocolVersion(), request.uri(), request.headers(),
				peer.getAddress());
	}

	private void toGateway(Object msg) {
		this.context.fireChannelRead((msg instanceof Arrived arrived) ? arrived.request : msg);
	}

	@Override
	public void ended(ForwardedRequest request, LastHttpContent end) {
		responding(false);
		request.countEnded();
		ChannelFuture written = this.context.writeAndFlush(end);
		if (this.closes.closeHeldAfter(written)) {
			return;
		}
		if (!request.clientKeepsAlive()) {
			written.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		resume();
	}

	/** Before its answer the gateway retries the request, after it the client's connection ends. */
	@Override
	public void failed(ForwardedRequest request) {
		responding(false);
		if (request.answered()) {
			request.countEnded();
		}
		if (this.closes.closeHeld()) {
			return;
		}
		if (request.answered()) {
			this.context.close();
		}
		else {
			unreachable(request);
		}
	}

	/** Hands the request back to the gateway, as if it had never been forwarded. */
	@Override
	public void unreachable(ForwardedRequest request) {
		responding(false);
		toGateway(request.head());
		toGateway(LastHttpContent.EMPTY_LAST_CONTENT);
		this.context.fireChannelReadComplete();
		resume();
	}

	/** Marks {@link #forwarding} at the socket, or done with; done, it no longer is. */
	private void responding(boolean responding) {
		this.responding = responding;
		this.closes.responding(responding);
		if (!responding) {
			this.forwarding = null;
		}
	}

	/** Reads from the client again, after passing on what waited meanwhile. */
	private void resume() {
		boolean dispatched = false;
		while (!this.waiting.isEmpty() && !this.responding) {
			dispatch(this.waiting.poll());
			dispatched = true;
		}
		if (dispatched) {
			this.context.fireChannelReadComplete();
		}
		if (this.waiting.isEmpty()) {
			this.context.channel().config().setAutoRead(true);
		}
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		this.socket.clientWritable(ctx.channel().isWritable());
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		ForwardedRequest request = this.forwarding;
		responding(false);
		if (request != null && request.answered()) {
			request.countEnded();
		}
		closeLink();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		closeLink();
	}

	private void closeLink() {
		this.socket.close();
		this.waiting.forEach((msg) -> ReferenceCountUtil.release((msg instanceof Arrived arrived) ? arrived.request : msg));
		this.waiting.clear();
	}

	/** A request head as it arrived, with the number the tracker gave it. */
	private record Arrived(HttpRequest request, long number) {
	}

}
