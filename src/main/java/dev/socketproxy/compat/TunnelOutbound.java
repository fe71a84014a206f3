package dev.socketproxy.compat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.AbstractEpollStreamChannel;

/**
 * Writes to one connection of a tunnel, keeping it able to wait for writability after
 * its input has ended.
 * <p>
 * Netty's epoll transport (4.2.15, still in 4.2.18) takes a connection out of epoll as
 * soon as it waits for nothing, yet goes on treating it as registered. A connection whose
 * input has ended waits for nothing between two writes, so the next time the peer's
 * socket buffer is full, waiting for writability fails ({@code epoll_ctl(MOD)}:
 * {@code ENOENT}) and Netty shuts the connection's output: a client that half-closed and
 * reads a large answer slowly loses its tail. Registering the connection with its event
 * loop anew adds it to epoll again, and flushing right then, before the loop polls again,
 * makes it wait for writability while it is there. The NIO transport does not need this.
 * Half-closed connections exist because the tunnel allows them
 * ({@code ChannelOption.ALLOW_HALF_CLOSURE} in {@code UpgradeRequestGuard} and
 * {@code UpgradeTunnel}).
 * <p>
 * No upstream issue found (searched netty/netty for epoll half-closure, {@code ENOENT} and
 * {@code EPOLL_CTL_MOD}); to report it, open an issue at
 * <a href="https://github.com/netty/netty/issues">netty/netty</a> with
 * {@code TunnelOutboundTest} as the reproducer. Its canary fails once Netty
 * keeps such a connection able to wait for writability: this class can go then, and
 * {@code ByteSplice} writes and flushes its channels directly.
 * <p>
 * Used on the connection's event loop only.
 */
public final class TunnelOutbound {

	private final Channel channel;

	private boolean reregistering;

	public TunnelOutbound(Channel channel) {
		this.channel = channel;
	}

	public Channel channel() {
		return this.channel;
	}

	/** Writes and flushes; the future completes once the message reached the socket. */
	public ChannelFuture send(Object message) {
		ChannelFuture written = this.channel.write(message);
		flush();
		return written;
	}

	private void flush() {
		if (!needsFreshRegistration()) {
			this.channel.flush();
			return;
		}
		if (this.reregistering) {
			// The flush after the registration in progress takes this write along.
			return;
		}
		this.reregistering = true;
		EventLoop loop = this.channel.eventLoop();
		this.channel.deregister().addListener((deregistered) -> loop.register(this.channel).addListener((registered) -> {
			this.reregistering = false;
			this.channel.flush();
		}));
	}

	private boolean needsFreshRegistration() {
		return this.channel instanceof AbstractEpollStreamChannel epoll && epoll.isOpen() && epoll.isInputShutdown();
	}

}
