package dev.socketproxy.compat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Keeps the gateway's requests to the socket at {@code HTTP/1.1} on the NIO transport.
 * <p>
 * Reactor Netty (1.3.6) derives a client request's version from its channel's type in
 * {@code HttpClientOperations.initHttpVersion}: a Netty {@code SocketChannel} or
 * {@code unix.DomainSocketChannel} gets {@code HTTP/1.1}, any other channel
 * {@code HTTP/3.0}. The fix of
 * <a href="https://github.com/reactor/reactor-netty/issues/3692">reactor-netty#3692</a>
 * (<a href="https://github.com/reactor/reactor-netty/pull/3693">#3693</a>) covers the
 * epoll and kqueue Unix-socket channels only; the JDK's, which NIO uses
 * ({@code NioDomainSocketChannel}), is neither type. Without epoll (a {@code /tmp} that
 * does not allow executing Netty's native library, a CPU without the shipped native
 * library) the engine would get {@code HTTP/3.0} and answer {@code 505} to every request
 * that goes through the gateway. No upstream issue names the NIO case yet.
 * <p>
 * The canary in {@code Http11RequestLineTest} fails once Reactor Netty sends {@code HTTP/1.1} on
 * the NIO Unix-socket channel itself: this handler can go then.
 */
@ChannelHandler.Sharable
public final class Http11RequestLine extends ChannelOutboundHandlerAdapter {

	/** The handler's name in the client pipeline, right after Reactor Netty's HTTP codec. */
	public static final String NAME = "socketproxy.http11RequestLine";

	public static final Http11RequestLine INSTANCE = new Http11RequestLine();

	private Http11RequestLine() {
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpRequest request && !HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
			request.setProtocolVersion(HttpVersion.HTTP_1_1);
		}
		ctx.write(msg, promise);
	}

}
