package dev.socketproxy.access.body;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;

/**
 * Makes a request body that Netty's decoder could not read (a bad chunk size, a chunk
 * cut short) fail the request instead of ending it. Reactor Netty answers such a body
 * with 400 but also ends the request's body there, so a gateway filter reading it would
 * see a short, well-formed body and forward the request; as an error of the body, the
 * request fails before anything is sent, and {@link RequestBodyFilter} answers 400.
 */
public class BrokenBodyGuard extends ChannelInboundHandlerAdapter {

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// A request head the decoder cannot read comes as a failed full request: Reactor Netty answers it.
		if (msg instanceof HttpContent content && !(msg instanceof HttpMessage) && content.decoderResult().isFailure()) {
			String reason = "malformed body: " + content.decoderResult().cause().getMessage();
			content.release();
			ctx.fireExceptionCaught(new InvalidBodyException(reason));
			return;
		}
		ctx.fireChannelRead(msg);
	}

}
