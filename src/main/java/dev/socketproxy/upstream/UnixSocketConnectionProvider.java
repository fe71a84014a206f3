package dev.socketproxy.upstream;

import java.net.SocketAddress;
import java.util.function.Supplier;

import io.netty.resolver.AddressResolverGroup;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * A connection pool that always dials the Unix socket, whatever host the request URI
 * names. The gateway sends absolute URIs and Reactor Netty would otherwise dial their
 * host and port over TCP; replacing the address here is the only place that covers
 * every request.
 */
class UnixSocketConnectionProvider implements ConnectionProvider {

	private final ConnectionProvider delegate;

	private final SocketAddress socket;

	UnixSocketConnectionProvider(ConnectionProvider delegate, SocketAddress socket) {
		this.delegate = delegate;
		this.socket = socket;
	}

	@Override
	public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
			Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
		return this.delegate.acquire(config, observer, () -> this.socket, resolverGroup);
	}

	@Override
	public void disposeWhen(SocketAddress address) {
		this.delegate.disposeWhen(address);
	}

	@Override
	public Mono<Void> disposeLater() {
		return this.delegate.disposeLater();
	}

	@Override
	public boolean isDisposed() {
		return this.delegate.isDisposed();
	}

	@Override
	public int maxConnections() {
		return this.delegate.maxConnections();
	}

}
