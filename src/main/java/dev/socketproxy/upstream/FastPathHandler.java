package dev.socketproxy.upstream;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import dev.socketproxy.access.AccessLog;
import dev.socketproxy.access.ImmediateAdmission;
import dev.socketproxy.metrics.ProxyMetrics;

/**
 * Forwards the requests that {@link ImmediateAdmission} allows outright ({@code GET} and
 * {@code HEAD} without a body, what polling clients send nearly all the time) straight
 * to the socket, bypassing WebFlux and the gateway's filter chain, which cost several
 * times the CPU of the forwarding itself. Every other request goes on to the gateway
 * unchanged, so refusals, bodies, upgrades, report-only findings and errors keep their
 * one implementation there.
 * <p>
 * Sits behind the listener's HTTP codec and the handlers that watch each request and
 * response ({@code RequestHeadDeadline}, {@link UpgradeRequestGuard}), ahead of Reactor
 * Netty's HTTP handler. Each client connection gets its own kept-alive connection to the
 * socket, on the same event loop, opened at its first forwarded request. Responses stay
 * in request order: while a forwarded response is open, reading from the client pauses
 * and requests already decoded wait here; while the gateway owes responses, every
 * request goes to the gateway, which answers pipelined requests in order.
 * <p>
 * If the socket cannot be reached, or closes before it answered, the request is handed
 * to the gateway as if it had never been forwarded ({@code GET} and {@code HEAD} are
 * safe to repeat): the gateway then answers 502 and logs and counts it as usual.
 */
final class FastPathHandler extends ChannelDuplexHandler implements FastPathShutdown.ClientConnection {

	/** The limits Reactor Netty's HTTP client applies to the socket's response heads. */
	private static final HttpDecoderConfig RESPONSE_DECODER = new HttpDecoderConfig().setMaxInitialLineLength(4096)
		.setMaxHeaderSize(8192);

	private final ImmediateAdmission admission;

	private final Path socket;

	private final ProxyMetrics metrics;

	private final FastPathShutdown shutdown;

	private final HopByHopHeaders hopByHop;

	/** Decoded messages that arrived while a forwarded response was open. */
	private final ArrayDeque<Object> waiting = new ArrayDeque<>();

	private ChannelHandlerContext context;

	/** This client connection's connection to the socket, kept alive between requests. */
	private Channel upstream;

	/** The request being forwarded, from its head until the end of its response. */
	private Forwarding forwarding;

	/**
	 * Whether {@link #forwarding} has ended and gone to the socket, until its response
	 * ends; volatile, as the shutdown reads it from its own thread.
	 */
	private volatile boolean responding;

	/** Requests handed to the gateway whose responses have not ended yet. */
	private int gatewayOwes;

	/** Whether the gateway is writing a 1xx response, which another response follows. */
	private boolean gatewayInformational;

	/** A close the shutdown asked for while a response was open, done once it has ended. */
	private ChannelPromise heldClose;

	FastPathHandler(ImmediateAdmission admission, Path socket, ProxyMetrics metrics, FastPathShutdown shutdown,
			HopByHopHeaders hopByHop) {
		this.admission = admission;
		this.socket = socket;
		this.metrics = metrics;
		this.shutdown = shutdown;
		this.hopByHop = hopByHop;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.context = ctx;
		this.shutdown.opened(this);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!this.waiting.isEmpty() || this.responding) {
			this.waiting.add(msg);
			ctx.channel().config().setAutoRead(false);
			return;
		}
		dispatch(msg);
	}

	private void dispatch(Object msg) {
		if (this.forwarding != null) {
			// The decoder ends a request without a body with an empty last content, at once.
			if (msg instanceof LastHttpContent end && end.content().readableBytes() == 0) {
				end.release();
				this.responding = true;
				send(this.forwarding);
			}
			else {
				toGateway(this.forwarding.head);
				this.forwarding = null;
				toGateway(msg);
			}
			return;
		}
		receive(msg);
	}

	private void receive(Object msg) {
		if (msg instanceof HttpRequest request && this.gatewayOwes == 0) {
			Optional<ImmediateAdmission.Admitted> admitted = admit(request);
			if (admitted.isPresent()) {
				this.forwarding = new Forwarding(request, admitted.get(), System.nanoTime());
				return;
			}
		}
		toGateway(msg);
	}

	private Optional<ImmediateAdmission.Admitted> admit(HttpRequest request) {
		if (!request.decoderResult().isSuccess()
				|| !(this.context.channel().remoteAddress() instanceof InetSocketAddress peer)
				|| peer.getAddress() == null) {
			return Optional.empty();
		}
		return this.admission.admit(request.method(), request.protocolVersion(), request.uri(), request.headers(),
				peer.getAddress());
	}

	private void toGateway(Object msg) {
		if (msg instanceof HttpRequest) {
			this.gatewayOwes++;
		}
		this.context.fireChannelRead(msg);
	}

	private void send(Forwarding request) {
		Channel client = this.context.channel();
		AccessLog.allowed(request.head.method().name(), request.admitted.target().toString(),
				(InetSocketAddress) client.remoteAddress(), request.admitted.rules());
		if (this.upstream != null && this.upstream.isActive()) {
			write(request, this.upstream);
			return;
		}
		UnixSocketAddresses.bootstrapBeside(client).handler(new ChannelInitializer<>() {

			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline()
					.addLast(new HttpClientCodec(RESPONSE_DECODER, false, false), new SocketResponses());
			}

		}).connect(UnixSocketAddresses.sameTransportAs(client, this.socket)).addListener((ChannelFuture connected) -> {
			if (request != this.forwarding) {
				connected.channel().close();
			}
			else if (!connected.isSuccess()) {
				handBack(request);
			}
			else if (!client.isActive()) {
				connected.channel().close();
			}
			else {
				this.upstream = connected.channel();
				write(request, this.upstream);
			}
		});
	}

	private void write(Forwarding request, Channel upstream) {
		HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.head.method(), request.head.uri(),
				request.head.headers().copy());
		this.hopByHop.removeFromRequest(head.headers());
		upstream.write(head, upstream.voidPromise());
		upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFuture written) -> {
			if (!written.isSuccess()) {
				written.channel().close();
			}
		});
	}

	/** The socket answered with this head: it goes to the client, the body follows as it comes. */
	private void respond(Forwarding request, HttpResponse response) {
		request.answered = true;
		request.socketKeepsAlive = HttpUtil.isKeepAlive(response);
		this.hopByHop.removeFromResponse(response.headers());
		response.setProtocolVersion(HttpVersion.HTTP_1_1);
		if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
				&& mayHaveBody(request.head.method(), response.status())) {
			// Read until the socket closes: chunked to the client, whose connection stays open.
			HttpUtil.setTransferEncodingChunked(response, true);
		}
		if (!request.clientKeepsAlive) {
			HttpUtil.setKeepAlive(response, false);
		}
		this.metrics.upstreamAnswered(request.head.method().name(), response.status().code(),
				Duration.ofNanos(System.nanoTime() - request.start));
		this.metrics.streamOpened();
		this.context.write(response, this.context.voidPromise());
	}

	private static boolean mayHaveBody(HttpMethod method, HttpResponseStatus status) {
		return !HttpMethod.HEAD.equals(method) && status.code() != HttpResponseStatus.NO_CONTENT.code()
				&& status.code() != HttpResponseStatus.NOT_MODIFIED.code();
	}

	private void finish(Forwarding request, LastHttpContent end) {
		if (end.decoderResult().isFailure()) {
			end.release();
			failed(request);
			return;
		}
		forwardingEnded();
		countEnded(request);
		ChannelFuture written = this.context.writeAndFlush(end);
		if (!request.socketKeepsAlive && this.upstream != null) {
			this.upstream.close();
			this.upstream = null;
		}
		if (this.heldClose != null) {
			written.addListener((done) -> closeNow());
			return;
		}
		if (!request.clientKeepsAlive) {
			written.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		resume();
	}

	/** The socket failed this request: before its answer the gateway retries it, after it the client's connection ends. */
	private void failed(Forwarding request) {
		forwardingEnded();
		if (request.answered) {
			countEnded(request);
		}
		if (this.heldClose != null) {
			closeNow();
		}
		else if (request.answered) {
			this.context.close();
		}
		else {
			handBack(request);
		}
	}

	/**
	 * A forwarded response has ended, whole or cut short: it leaves the open-streams gauge,
	 * and the request counts as allowed then, as on the gateway path.
	 */
	private void countEnded(Forwarding request) {
		this.metrics.streamClosed();
		this.metrics.decided(request.head.method().name(), null, null);
	}

	private void forwardingEnded() {
		this.forwarding = null;
		this.responding = false;
	}

	private void handBack(Forwarding request) {
		forwardingEnded();
		toGateway(request.head);
		toGateway(LastHttpContent.EMPTY_LAST_CONTENT);
		this.context.fireChannelReadComplete();
		resume();
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
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response) {
			HttpResponseStatus status = response.status();
			this.gatewayInformational = status.codeClass() == HttpStatusClass.INFORMATIONAL
					&& status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
		}
		if (msg instanceof LastHttpContent) {
			if (this.gatewayInformational) {
				this.gatewayInformational = false;
			}
			else if (this.gatewayOwes > 0) {
				this.gatewayOwes--;
			}
		}
		ctx.write(msg, promise);
	}

	/** While the proxy shuts down, a response being forwarded may end within the grace time. */
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
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (this.upstream != null) {
			// Backpressure: read from the socket only as fast as the client takes it.
			this.upstream.config().setAutoRead(ctx.channel().isWritable());
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		Forwarding request = this.forwarding;
		forwardingEnded();
		if (request != null && request.answered) {
			countEnded(request);
		}
		closeUpstream();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		this.shutdown.closed(this);
		closeUpstream();
	}

	private void closeUpstream() {
		if (this.upstream != null) {
			this.upstream.close();
			this.upstream = null;
		}
		this.waiting.forEach(ReferenceCountUtil::release);
		this.waiting.clear();
	}

	/** Reads the socket's responses on the upstream connection and relays them. */
	private final class SocketResponses extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			Forwarding request = FastPathHandler.this.forwarding;
			if (request == null || ctx.channel() != FastPathHandler.this.upstream) {
				ReferenceCountUtil.release(msg);
				ctx.close();
				return;
			}
			if (msg instanceof HttpResponse response) {
				if (response.decoderResult().isFailure()
						|| response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
					ReferenceCountUtil.release(msg);
					ctx.close();
					return;
				}
				respond(request, response);
			}
			if (msg instanceof LastHttpContent end) {
				finish(request, end);
			}
			else if (msg instanceof HttpContent content) {
				FastPathHandler.this.context.write(content, FastPathHandler.this.context.voidPromise());
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			FastPathHandler.this.context.flush();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel() == FastPathHandler.this.upstream) {
				FastPathHandler.this.upstream = null;
				if (FastPathHandler.this.responding) {
					failed(FastPathHandler.this.forwarding);
				}
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/** One request on its way through this handler. */
	private static final class Forwarding {

		private final HttpRequest head;

		private final ImmediateAdmission.Admitted admitted;

		private final long start;

		private final boolean clientKeepsAlive;

		private boolean answered;

		private boolean socketKeepsAlive;

		Forwarding(HttpRequest head, ImmediateAdmission.Admitted admitted, long start) {
			this.head = head;
			this.admitted = admitted;
			this.start = start;
			this.clientKeepsAlive = HttpUtil.isKeepAlive(head);
		}

	}

}
