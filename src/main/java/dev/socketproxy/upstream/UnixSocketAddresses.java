package dev.socketproxy.upstream;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import io.netty.channel.unix.DomainSocketAddress;
import reactor.netty.resources.LoopResources;

/**
 * The address type of a Unix socket has to match the transport Reactor Netty runs on:
 * Netty's {@link DomainSocketAddress} for epoll, the JDK's
 * {@link UnixDomainSocketAddress} for NIO (with {@code -Dreactor.netty.native=false}).
 */
public final class UnixSocketAddresses {

	private UnixSocketAddresses() {
	}

	public static SocketAddress of(Path path) {
		if (LoopResources.DEFAULT_NATIVE && LoopResources.hasNativeSupport()) {
			return new DomainSocketAddress(path.toString());
		}
		return UnixDomainSocketAddress.of(path);
	}

}
