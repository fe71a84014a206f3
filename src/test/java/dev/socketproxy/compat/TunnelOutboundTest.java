package dev.socketproxy.compat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A client connects over TCP on Netty's epoll transport, half-closes at once, and only
 * then reads a 16 MB answer the server sends after seeing the half-close: the server's
 * socket buffer is full while its input has ended, the case {@link TunnelOutbound} is for.
 */
class TunnelOutboundTest {

	private static final byte[] ANSWER = new byte[16 * 1024 * 1024];

	private static final int CHUNK = 256 * 1024;

	static {
		new Random(7).nextBytes(ANSWER);
	}

	private EventLoopGroup loop;

	@BeforeEach
	void epoll() {
		assumeThat(Epoll.isAvailable()).as("Netty's epoll transport loads on this machine").isTrue();
		this.loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
	}

	@AfterEach
	void shutDown() {
		if (this.loop != null) {
			this.loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	/**
	 * The canary: the answer written and flushed as Netty offers it loses its tail.
	 */
	@Test
	void nettysEpollTransportStillCutsALargeWriteAfterTheInputEnded() throws Exception {
		Received received = answerHalfClosedClient((channel) -> channel::writeAndFlush);

		assertThat(received.length())
			.as("Netty's epoll transport now delivers a large answer to a half-closed connection whole: the "
					+ "workaround TunnelOutbound can go (ByteSplice can write and flush the channels itself)")
			.isLessThan(ANSWER.length);
		assertThat(received.write().cause()).as("the write fails rather than waits for the reader").isNotNull();
	}

	@Test
	void sentThroughTunnelOutboundTheWholeAnswerArrives() throws Exception {
		Received received = answerHalfClosedClient((channel) -> new TunnelOutbound(channel)::send);

		assertThat(received.length()).isEqualTo(ANSWER.length);
		assertThat(received.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(ANSWER));
		assertThat(received.write().isSuccess()).isTrue();
	}

	private Received answerHalfClosedClient(Function<Channel, Function<ByteBuf, ChannelFuture>> sender) throws Exception {
		CompletableFuture<ChannelPromise> written = new CompletableFuture<>();
		Channel listener = new ServerBootstrap().group(this.loop)
			.channel(EpollServerSocketChannel.class)
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childHandler(new ChannelInboundHandlerAdapter() {

				@Override
				public void channelRead(ChannelHandlerContext ctx, Object msg) {
					((ByteBuf) msg).release();
				}

				@Override
				public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
					if (event instanceof ChannelInputShutdownEvent) {
						ChannelPromise all = ctx.newPromise();
						all.addListener(ChannelFutureListener.CLOSE);
						sendFrom(0, sender.apply(ctx.channel()), all);
						written.complete(all);
					}
				}

			})
			.bind(InetAddress.getLoopbackAddress(), 0)
			.sync()
			.channel();
		try (Socket client = new Socket()) {
			client.setReceiveBufferSize(64 * 1024);
			client.connect(listener.localAddress());
			client.shutdownOutput();
			ChannelPromise all = written.get(10, TimeUnit.SECONDS);
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			long length = 0;
			InputStream in = client.getInputStream();
			byte[] chunk = new byte[16 * 1024];
			for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
				digest.update(chunk, 0, read);
				length += read;
				// A slow reader: the server's socket buffer is full whenever its next chunk comes.
				Thread.sleep(0, 200_000);
			}
			all.await(10, TimeUnit.SECONDS);
			return new Received(length, digest.digest(), all);
		}
		finally {
			listener.close().sync();
		}
	}

	/**
	 * Sends the answer in chunks as a tunnel relays them: each once the one before reached
	 * the socket, a moment later, as if the other side had sent it then.
	 */
	private static void sendFrom(int offset, Function<ByteBuf, ChannelFuture> send, ChannelPromise all) {
		if (offset == ANSWER.length) {
			all.trySuccess();
			return;
		}
		int length = Math.min(CHUNK, ANSWER.length - offset);
		send.apply(Unpooled.wrappedBuffer(ANSWER, offset, length)).addListener((ChannelFuture sent) -> {
			if (!sent.isSuccess()) {
				all.tryFailure(sent.cause());
				return;
			}
			sent.channel().eventLoop().schedule(() -> sendFrom(offset + length, send, all), 1, TimeUnit.MILLISECONDS);
		});
	}

	private record Received(long length, byte[] digest, ChannelFuture write) {

	}

}
