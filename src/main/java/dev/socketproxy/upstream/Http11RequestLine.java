package dev.socketproxy.upstream;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Keeps the gateway's requests to the socket at {@code HTTP/1.1} on the NIO transport.
 * Reactor Netty 1.3 derives a request's version from its channel's type and takes the
 * JDK's Unix-socket channel, which NIO uses, for an HTTP/3 one: without epoll (a
 * {@code /tmp} that does not allow executing Netty's native library, a CPU without the
 * shipped native library) the engine would get {@code HTTP/3.0} and answer {@code 505}
 * to every request that goes through the gateway.
 */
@ChannelHandler.Sharable
final class Http11RequestLine extends ChannelOutboundHandlerAdapter {

	static final String NAME = "socketproxy.http11RequestLine";

	static final Http11RequestLine INSTANCE = new Http11RequestLine();

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
