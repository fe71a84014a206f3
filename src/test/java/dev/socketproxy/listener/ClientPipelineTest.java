package dev.socketproxy.listener;

import java.time.Duration;
import java.util.List;

import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import dev.socketproxy.compat.KeepAliveReadResume;
import dev.socketproxy.upstream.FastPaths;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's handlers, in their one written order, among Reactor Netty's. */
class ClientPipelineTest {

	@Test
	void putsEveryHandlerBetweenTheCodecAndTheHttpHandlerInItsOrder() {
		EmbeddedChannel channel = reactorNettyHttp11();
		new ClientPipeline(Duration.ofSeconds(10), FastPaths.on()).install(channel);

		assertThat(names(channel)).containsExactly(NettyPipeline.HttpCodec, ClientPipeline.BROKEN_BODY_GUARD,
				ClientPipeline.REQUEST_HEAD_DEADLINE, ClientPipeline.EXCHANGE_TRACKER,
				ClientPipeline.UPGRADE_REQUEST_GUARD, ClientPipeline.FAST_PATH, ClientPipeline.FAST_PATH_CLOSE_HOLD,
				NettyPipeline.HttpTrafficHandler, KeepAliveReadResume.NAME, NettyPipeline.ReactiveBridge);
	}

	@Test
	void withoutTheFastPathTheOthersStay() {
		EmbeddedChannel channel = reactorNettyHttp11();
		new ClientPipeline(Duration.ofSeconds(10), FastPaths.off()).install(channel);

		assertThat(names(channel)).containsExactly(NettyPipeline.HttpCodec, ClientPipeline.BROKEN_BODY_GUARD,
				ClientPipeline.REQUEST_HEAD_DEADLINE, ClientPipeline.EXCHANGE_TRACKER,
				ClientPipeline.UPGRADE_REQUEST_GUARD, NettyPipeline.HttpTrafficHandler, KeepAliveReadResume.NAME,
				NettyPipeline.ReactiveBridge);
	}

	@Test
	void aConnectionWithoutAnHttp11CodecIsLeftAlone() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline().addLast(NettyPipeline.ReactiveBridge, new ChannelHandlerAdapter() {
		});
		new ClientPipeline(Duration.ofSeconds(10), FastPaths.on()).install(channel);

		assertThat(names(channel)).containsExactly(NettyPipeline.ReactiveBridge);
	}

	/** The handlers Reactor Netty puts on an HTTP/1.1 server connection, by their names. */
	private static EmbeddedChannel reactorNettyHttp11() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline()
			.addLast(NettyPipeline.HttpCodec, new HttpServerCodec())
			.addLast(NettyPipeline.HttpTrafficHandler, new ChannelHandlerAdapter() {
			})
			.addLast(NettyPipeline.ReactiveBridge, new ChannelHandlerAdapter() {
			});
		return channel;
	}

	private static List<String> names(EmbeddedChannel channel) {
		return channel.pipeline().names().stream().filter((name) -> !name.startsWith("DefaultChannelPipeline$")).toList();
	}

}
