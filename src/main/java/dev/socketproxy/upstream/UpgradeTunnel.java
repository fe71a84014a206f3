package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.NettyPipeline;

/**
 * Carries a connection that switches protocols ({@code docker exec}, {@code attach},
 * {@code run}: {@code Upgrade: tcp}; {@code attach/ws}: {@code Upgrade: websocket})
 * through to the Unix socket as raw bytes.
 * <p>
 * The request is written to a new connection to the socket exactly as it was decided on,
 * with its {@code Connection} and {@code Upgrade} headers; from then on the client's
 * connection and the socket's are spliced together byte for byte. The socket's answer
 * ({@code 101 UPGRADED} and its headers, or a refusal such as 404) reaches the client as
 * the socket wrote it, so nothing here parses HTTP responses. The upstream connection
 * runs on the client connection's event loop, which keeps the splice lock-free.
 */
public class UpgradeTunnel {

	private final Path socket;

	public UpgradeTunnel(Path socket) {
		this.socket = socket;
	}

	/**
	 * Opens the tunnel for a client connection whose upgrade request has been read.
	 * @param client the client's connection, HTTP-decoded up to the end of the request
	 * @param request the request head and body to send to the socket
	 * @return completes once both connections are closed; fails with the connect error,
	 * before anything was sent to the client, if the socket does not answer
	 */
	Mono<Void> open(Channel client, byte[] request) {
		// A later task on the loop: the read that completed the request is still unwinding.
		return Mono.create((sink) -> client.eventLoop().execute(() -> connect(client, request, sink)));
	}

	private void connect(Channel client, byte[] request, MonoSink<Void> sink) {
		UnixSocketAddresses.bootstrapBeside(client)
			.option(ChannelOption.AUTO_READ, false)
			.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.handler(new ChannelInboundHandlerAdapter())
			.connect(UnixSocketAddresses.sameTransportAs(client, this.socket))
			.addListener((ChannelFuture connected) -> {
				if (!connected.isSuccess()) {
					sink.error(connected.cause());
					return;
				}
				Channel upstream = connected.channel();
				sink.onCancel(() -> {
					client.close();
					upstream.close();
				});
				client.closeFuture()
					.addListener((closed) -> upstream.closeFuture().addListener((both) -> sink.success()));
				splice(client, upstream, request);
			});
	}

	private static void splice(Channel client, Channel upstream, byte[] request) {
		if (!client.isActive()) {
			upstream.close();
			client.close();
			return;
		}
		UpgradeRequestGuard.EarlyInput early = client.pipeline().get(UpgradeRequestGuard.class).detach();
		removeHttpHandlers(client.pipeline());
		upstream.write(Unpooled.wrappedBuffer(request));
		upstream.writeAndFlush(early.bytes());
		ByteSplice.start(client, upstream, NettyPipeline.ReactiveBridge, early.shutdown());
	}

	/**
	 * Leaves only Reactor Netty's bridge, which learns from it when the connection closes;
	 * everything that would read or write HTTP goes.
	 */
	private static void removeHttpHandlers(ChannelPipeline pipeline) {
		List<String> names = new ArrayList<>();
		for (Map.Entry<String, ChannelHandler> handler : pipeline) {
			if (!handler.getKey().equals(NettyPipeline.ReactiveBridge)) {
				names.add(handler.getKey());
			}
		}
		names.forEach(pipeline::remove);
	}

}
