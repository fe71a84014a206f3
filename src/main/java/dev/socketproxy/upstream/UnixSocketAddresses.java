package dev.socketproxy.upstream;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import reactor.netty.resources.LoopResources;

/**
 * The address type of a Unix socket has to match the transport Reactor Netty runs on:
 * Netty's {@link DomainSocketAddress} for epoll, the JDK's
 * {@link UnixDomainSocketAddress} for NIO (with {@code -Dreactor.netty.native=false}).
 */
public final class UnixSocketAddresses {

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	private UnixSocketAddresses() {
	}

	public static SocketAddress of(Path path) {
		return of(path, LoopResources.DEFAULT_NATIVE && LoopResources.hasNativeSupport());
	}

	/** The address for a Unix-socket channel on the same transport (and event loop) as {@code channel}. */
	static SocketAddress sameTransportAs(Channel channel, Path path) {
		return of(path, isEpoll(channel));
	}

	/** A Unix-socket channel that can be registered on {@code channel}'s event loop. */
	private static ChannelFactory<Channel> channelFactorySameTransportAs(Channel channel) {
		return isEpoll(channel) ? EpollDomainSocketChannel::new : NioDomainSocketChannel::new;
	}

	/**
	 * A connection to the socket made on {@code client}'s event loop, so that relaying
	 * between the two needs no locks; it connects within 10 s or fails.
	 */
	static Bootstrap bootstrapBeside(Channel client) {
		return new Bootstrap().group(client.eventLoop())
			.channelFactory(channelFactorySameTransportAs(client))
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
	}

	private static SocketAddress of(Path path, boolean epoll) {
		return epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
	}

	static boolean isEpoll(Channel channel) {
		return channel instanceof EpollSocketChannel || channel instanceof EpollDomainSocketChannel;
	}

}
