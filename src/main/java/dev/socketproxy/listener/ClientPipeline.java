package dev.socketproxy.listener;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

import dev.socketproxy.access.body.BrokenBodyGuard;
import dev.socketproxy.compat.KeepAliveReadResume;
import dev.socketproxy.upstream.ExchangeTracker;
import dev.socketproxy.upstream.FastPath;
import dev.socketproxy.upstream.UpgradeRequestGuard;

/**
 * Puts the proxy's own Netty handlers on each client connection of the listener, all in
 * one place and in this order, between Reactor Netty's HTTP codec and its HTTP handler
 * (inbound messages pass them top to bottom, responses bottom to top), and one behind the
 * HTTP handler:
 *
 * <pre>
 * reactor.left.httpCodec              Reactor Netty: bytes to requests, responses to bytes
 * socketproxy.brokenBodyGuard         first, so that nothing behind it ever sees a body the
 *                                     decoder could not read as the request's well-formed end
 * socketproxy.requestHeadDeadline     ahead of the tracker, so that it sees a response's end
 *                                     after the tracker has counted it, and re-arms then
 * socketproxy.exchangeTracker         the one count of requests read and responses ended, and
 *                                     the connection's state; everything behind it reads it
 * socketproxy.upgradeRequestGuard     stops decoding at the end of an upgrade request and holds
 *                                     the raw bytes after it; behind the tracker, so the request
 *                                     is numbered when it asks, and ahead of the fast path and
 *                                     the gateway, so that neither sees those bytes as HTTP
 * socketproxy.fastPath                forwards what is allowed outright, hands the rest on; only
 *                                     when the fast path is on
 * socketproxy.fastPathCloseHold       holds the closes of Reactor Netty's handlers while the fast
 *                                     path's response is open at shutdown; right behind it
 * reactor.left.httpTrafficHandler     Reactor Netty: on to WebFlux and the gateway
 * socketproxy.keepAliveReadResume     reads on after a queued request was answered at once
 *                                     (a Reactor Netty workaround); right behind it
 * reactor.right.reactiveBridge        Reactor Netty: the request's operations
 * </pre>
 *
 * The tunnel of an upgraded connection removes all of them but the guard, which leaves
 * once it has handed over what it held.
 */
public final class ClientPipeline {

	static final String BROKEN_BODY_GUARD = "socketproxy.brokenBodyGuard";

	static final String REQUEST_HEAD_DEADLINE = "socketproxy.requestHeadDeadline";

	static final String EXCHANGE_TRACKER = "socketproxy.exchangeTracker";

	static final String UPGRADE_REQUEST_GUARD = "socketproxy.upgradeRequestGuard";

	static final String FAST_PATH = "socketproxy.fastPath";

	static final String FAST_PATH_CLOSE_HOLD = "socketproxy.fastPathCloseHold";

	private final Duration headerTimeout;

	private final FastPath fastPath;

	/**
	 * @param headerTimeout how long a request head may take to arrive
	 * @param fastPath the fast path, installed only if it is on
	 */
	public ClientPipeline(Duration headerTimeout, FastPath fastPath) {
		this.headerTimeout = headerTimeout;
		this.fastPath = fastPath;
	}

	/** Installs the handlers on a new client connection that Reactor Netty set up for HTTP/1.1. */
	public void install(Channel channel) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null) {
			return;
		}
		ExchangeTracker exchanges = new ExchangeTracker();
		pipeline.addAfter(NettyPipeline.HttpCodec, BROKEN_BODY_GUARD, new BrokenBodyGuard())
			.addAfter(BROKEN_BODY_GUARD, REQUEST_HEAD_DEADLINE, new RequestHeadDeadline(this.headerTimeout, exchanges))
			.addAfter(REQUEST_HEAD_DEADLINE, EXCHANGE_TRACKER, exchanges)
			.addAfter(EXCHANGE_TRACKER, UPGRADE_REQUEST_GUARD, new UpgradeRequestGuard(exchanges));
		if (pipeline.get(NettyPipeline.HttpTrafficHandler) == null) {
			return;
		}
		pipeline.addAfter(NettyPipeline.HttpTrafficHandler, KeepAliveReadResume.NAME, KeepAliveReadResume.INSTANCE);
		if (this.fastPath.enabled()) {
			FastPath.Handlers handlers = this.fastPath.handlers(channel, exchanges);
			pipeline.addBefore(NettyPipeline.HttpTrafficHandler, FAST_PATH, handlers.forwarder())
				.addBefore(NettyPipeline.HttpTrafficHandler, FAST_PATH_CLOSE_HOLD, handlers.closeHold());
		}
	}

}
