package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;
import reactor.netty.NettyPipeline;

import static dev.socketproxy.support.Latin1.bytes;
import static dev.socketproxy.support.Latin1.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The splice after a {@code 101}, on embedded channels: the order in which each side's
 * held bytes move, which a real socket cannot show.
 */
class UpgradeTunnelTest {

	private static final String SWITCHED = "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

	@Test
	void theHeadGoesAloneThenTheEnginesOutputAndOnlyThenTheClientsHeldInput() {
		EmbeddedChannel client = new EmbeddedChannel();
		ExchangeTracker exchanges = new ExchangeTracker();
		client.pipeline()
			.addLast(NettyPipeline.HttpCodec, new HttpServerCodec())
			.addLast(exchanges, new UpgradeRequestGuard(exchanges))
			.addLast(NettyPipeline.ReactiveBridge, new ChannelInboundHandlerAdapter());
		client.writeInbound(bytes("POST /v1.41/exec/abc/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\n"
				+ "Upgrade: tcp\r\nContent-Length: 0\r\n\r\nstdin held"));
		client.releaseInbound();
		List<UpgradeAnswer> answers = new ArrayList<>();
		EmbeddedChannel upstream = new EmbeddedChannel(new UpgradeAnswerReader(answers::add, Throwable::printStackTrace));
		upstream.writeInbound(bytes(SWITCHED + "output in the head's read"));
		assertThat(upstream.outboundMessages()).as("nothing reaches the engine before its answer").isEmpty();

		new UpgradeTunnel(Path.of("unused")).splice(client, (UpgradeAnswer.Switched) answers.get(0)).subscribe();
		client.runPendingTasks();

		assertThat(text(client.readOutbound())).isEqualTo(SWITCHED);
		assertThat(text(client.readOutbound())).isEqualTo("output in the head's read");
		assertThat(text(upstream.readOutbound())).isEqualTo("stdin held");
		assertThat(client.pipeline().get(UpgradeRequestGuard.class)).isNull();
		assertThat(client.pipeline().get(HttpServerCodec.class)).isNull();
		assertThat(client.pipeline().get(ExchangeTracker.class)).isNull();
		assertThat(upstream.pipeline().get(UpgradeAnswerReader.class)).isNull();
	}

}
