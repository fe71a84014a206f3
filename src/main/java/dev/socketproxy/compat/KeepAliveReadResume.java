package dev.socketproxy.compat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import reactor.netty.channel.ChannelOperations;

/**
 * Keeps a keep-alive client connection reading after Reactor Netty's server answered a
 * queued request at once.
 * <p>
 * Reactor Netty (1.3.6) reads a client connection on demand: each request's
 * {@code HttpServerOperations} turns auto-read off, and {@code HttpTrafficHandler} asks
 * for the next read when the operations end. A request that arrives while the previous
 * one's operations are still open (the client has the whole answer, the answer's last
 * write has not passed yet) is queued with its trailing content. When the previous
 * operations end, {@code resumeRead()} sees the queue and drains it in {@code run()}
 * instead of reading; if the queued request is answered inside that drain (a refusal),
 * its operations end before its trailing content is handed on, so {@code resumeRead()}
 * schedules another drain, the trailing content goes to no operations, the second drain
 * finds the queue empty, and nobody reads again: the client's next request waits until
 * the client gives up (<a href="https://github.com/reactor/reactor-netty/issues/4361">reactor-netty#4361</a>,
 * fix proposed in <a href="https://github.com/reactor/reactor-netty/pull/4347">#4347</a>).
 * <p>
 * Sits right behind {@code HttpTrafficHandler}: request content it hands on while no
 * operations are bound belongs to a request that has been answered, and the connection
 * is between requests; this handler asks for the read the drain left out. Where Reactor
 * Netty asks for that read itself, the second request for it changes nothing.
 * <p>
 * The canary in {@code KeepAliveReadResumeTest} fails once Reactor Netty reads on by
 * itself: this handler can go then.
 */
@ChannelHandler.Sharable
public final class KeepAliveReadResume extends ChannelInboundHandlerAdapter {

	/** The handler's name in the server pipeline, right behind Reactor Netty's HTTP handler. */
	public static final String NAME = "socketproxy.keepAliveReadResume";

	public static final KeepAliveReadResume INSTANCE = new KeepAliveReadResume();

	private KeepAliveReadResume() {
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		boolean answered = msg instanceof HttpContent && ChannelOperations.get(ctx.channel()) == null;
		ctx.fireChannelRead(msg);
		if (answered) {
			ctx.read();
		}
	}

}
