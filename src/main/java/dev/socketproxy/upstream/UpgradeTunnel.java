package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.NettyPipeline;

/**
 * Carries a connection that switches protocols ({@code docker exec}, {@code attach},
 * {@code run}: {@code Upgrade: tcp}; {@code attach/ws}: {@code Upgrade: websocket};
 * BuildKit's {@code /session} and {@code /grpc}: {@code Upgrade: h2c}) through to the
 * Unix socket as raw bytes, once the engine has switched.
 * <p>
 * {@link #send} writes the request to a new connection to the socket exactly as it was
 * decided on, with its {@code Connection} and {@code Upgrade} headers, and reads the
 * engine's answer: nothing else the client sent goes to the socket before that answer is
 * known. Only on a {@code 101} does {@link #splice} join the two connections byte for
 * byte; any other answer is an ordinary response, and the client's connection ends after
 * it (see {@link UpgradeRequestGuard}). The upstream connection runs on the client
 * connection's event loop, which keeps the splice lock-free.
 */
public class UpgradeTunnel {

	private final Path socket;

	public UpgradeTunnel(Path socket) {
		this.socket = socket;
	}

	/**
	 * Sends an upgrade request whose whole head and body have been read and judged.
	 * @param client the client's connection, HTTP-decoded up to the end of the request
	 * @param request the request head and body to send to the socket
	 * @return the engine's answer; fails with the connect error, or with an
	 * {@link java.io.IOException} if the socket closes or fails before answering
	 */
	Mono<UpgradeAnswer> send(Channel client, byte[] request) {
		return Mono.<UpgradeAnswer>create((sink) -> client.eventLoop().execute(() -> connect(client, request, sink)))
			.doOnDiscard(UpgradeAnswer.class, UpgradeAnswer::release);
	}

	private void connect(Channel client, byte[] request, MonoSink<UpgradeAnswer> sink) {
		UnixSocketAddresses.bootstrapBeside(client)
			.option(ChannelOption.AUTO_READ, false)
			.option(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.handler(new UpgradeAnswerReader(sink::success, sink::error))
			.connect(UnixSocketAddresses.sameTransportAs(client, this.socket))
			.addListener((ChannelFuture connected) -> {
				if (!connected.isSuccess()) {
					sink.error(connected.cause());
					return;
				}
				Channel upstream = connected.channel();
				sink.onCancel(upstream::close);
				upstream.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener((ChannelFuture written) -> {
					if (!written.isSuccess()) {
						upstream.close();
					}
				});
				upstream.read();
			});
	}

	/**
	 * Joins the client's connection to the socket's after a {@code 101}: the head reaches
	 * the client in a write of its own, then what the engine sent with it, and only then
	 * does the client's input (held since its request ended) flow to the socket.
	 * @return completes once both connections are closed
	 */
	Mono<Void> splice(Channel client, UpgradeAnswer.Switched switched) {
		return Mono.create((sink) -> client.eventLoop().execute(() -> start(client, switched, sink)));
	}

	private static void start(Channel client, UpgradeAnswer.Switched switched, MonoSink<Void> sink) {
		Channel upstream = switched.upstream();
		client.closeFuture().addListener((closed) -> upstream.closeFuture().addListener((both) -> sink.success()));
		sink.onCancel(() -> closeBoth(client, upstream));
		if (!client.isActive()) {
			switched.release();
			client.close();
			return;
		}
		removeHttpHandlers(client.pipeline());
		// Clients read the head with an HTTP library, then the raw socket: what arrives with
		// the head can be lost in the library's buffer (docker-py's attach). Meanwhile the
		// guard and the reader hold what each side sends.
		client.writeAndFlush(switched.head()).addListener((ChannelFuture written) -> {
			if (!written.isSuccess()) {
				closeBoth(client, upstream);
				return;
			}
			HeldInput early = client.pipeline().get(UpgradeRequestGuard.class).detach();
			ChannelHandlerContext reader = upstream.pipeline().context(UpgradeAnswerReader.class);
			HeldInput held = ((UpgradeAnswerReader) reader.handler()).handOver(reader);
			ChannelFuture answered = client.writeAndFlush(held.bytes());
			if (!upstream.isActive()) {
				early.bytes().release();
				answered.addListener(ChannelFutureListener.CLOSE);
				return;
			}
			upstream.writeAndFlush(early.bytes());
			ByteSplice.start(client, upstream, NettyPipeline.ReactiveBridge, early.shutdown(), held.shutdown());
		});
	}

	private static void closeBoth(Channel client, Channel upstream) {
		client.close();
		upstream.close();
	}

	/**
	 * Leaves only Reactor Netty's bridge, which learns from it when the connection closes,
	 * and the guard holding the client's input; everything that would read or write HTTP
	 * goes.
	 */
	private static void removeHttpHandlers(ChannelPipeline pipeline) {
		List<String> names = new ArrayList<>();
		for (Map.Entry<String, ChannelHandler> handler : pipeline) {
			if (!handler.getKey().equals(NettyPipeline.ReactiveBridge)
					&& !(handler.getValue() instanceof UpgradeRequestGuard)) {
				names.add(handler.getKey());
			}
		}
		names.forEach(pipeline::remove);
	}

}
