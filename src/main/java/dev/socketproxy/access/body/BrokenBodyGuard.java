package dev.socketproxy.access.body;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.channel.ChannelOperations;

/**
 * Makes a request body that Netty's decoder could not read (a bad chunk size, a chunk
 * cut short) fail the request instead of ending it. Reactor Netty answers such a body
 * with 400 but also ends the request's body there, so a gateway filter reading it would
 * see a short, well-formed body and forward the request; as an error of the body, the
 * request fails before anything is sent, and {@link BodyFailureFilter} answers 400.
 * <p>
 * If the request was answered already (refused, or the socket answered before the body
 * ended), nothing reads its body any more: Reactor Netty would log the error as an
 * uncaught ERROR with a stack trace. The decoder reads nothing after the damage, so the
 * connection is closed, quietly: the request has had its answer and its log line.
 */
public class BrokenBodyGuard extends ChannelInboundHandlerAdapter {

	private static final Logger logger = LoggerFactory.getLogger(BrokenBodyGuard.class);

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// A request head the decoder cannot read comes as a failed full request: Reactor Netty answers it.
		if (msg instanceof HttpContent content && !(msg instanceof HttpMessage) && content.decoderResult().isFailure()) {
			String reason = "malformed body: " + content.decoderResult().cause().getMessage();
			content.release();
			if (ChannelOperations.get(ctx.channel()) == null) {
				logger.atDebug().addKeyValue("reason", reason).log("body broken after its answer, connection closed");
				ctx.close();
				return;
			}
			ctx.fireExceptionCaught(new InvalidBodyException(reason));
			return;
		}
		ctx.fireChannelRead(msg);
	}

}
