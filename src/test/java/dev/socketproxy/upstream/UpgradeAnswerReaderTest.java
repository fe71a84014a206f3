package dev.socketproxy.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeAnswerReaderTest {

	private static final String SWITCHED = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
			+ "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

	private final List<UpgradeAnswer> answers = new ArrayList<>();

	private final List<Throwable> failures = new ArrayList<>();

	private final EmbeddedChannel channel = new EmbeddedChannel(
			new UpgradeAnswerReader(this.answers::add, this.failures::add));

	@Test
	void aSwitchHandsOverTheHeadAsWrittenAndHoldsWhatFollowsUntilTheTunnelTakesIt() {
		write(SWITCHED + "output 1");
		write("output 2");
		this.channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);

		UpgradeAnswer.Switched switched = (UpgradeAnswer.Switched) single();
		assertThat(text(switched.head())).isEqualTo(SWITCHED);
		assertThat((Object) this.channel.readInbound()).as("nothing passes the reader before the hand-over").isNull();
		HeldInput held = handOver();
		assertThat(text(held.bytes())).isEqualTo("output 1output 2");
		assertThat(held.shutdown()).isTrue();
		assertThat(this.channel.pipeline().get(UpgradeAnswerReader.class)).isNull();
		assertThat(this.channel.isOpen()).isTrue();
	}

	@Test
	void aHeadSplitAcrossReadsAndInformationalHeadsBeforeItAreRead() {
		write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 10");
		assertThat(this.answers).isEmpty();
		write("1 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");

		UpgradeAnswer.Switched switched = (UpgradeAnswer.Switched) single();
		assertThat(text(switched.head())).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n");
		HeldInput held = handOver();
		assertThat(held.bytes().readableBytes()).isZero();
		assertThat(held.shutdown()).isFalse();
	}

	@Test
	void anyOtherAnswerIsReadWholeAsHttpAndTheConnectionCloses() {
		String body = "{\"message\":\"No such container: abc\"}\n";
		write("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
				+ "\r\n\r\n" + body + "HTTP/1.1 101 UPGRADED\r\n\r\nnever read");

		FullHttpResponse response = ((UpgradeAnswer.Answered) single()).response();
		assertThat(response.status().code()).isEqualTo(404);
		assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo(body);
		assertThat(this.channel.isOpen()).isFalse();
		response.release();
	}

	@Test
	void anAnswerInTwoReadsWithAChunkedBodyIsReadWhole() {
		write("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
		assertThat(this.answers).isEmpty();
		write("lo\r\n0\r\n\r\n");

		FullHttpResponse response = ((UpgradeAnswer.Answered) single()).response();
		assertThat(response.status().code()).isEqualTo(400);
		assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
		response.release();
	}

	@Test
	void aSocketClosingBeforeItsHeadFails() {
		write("HTTP/1.1 101 UPGR");
		this.channel.close();

		assertThat(this.answers).isEmpty();
		assertThat(this.failures).singleElement().isInstanceOf(IOException.class);
	}

	@Test
	void aHeadWithoutEndFailsOnceItPassesTheLimit() {
		write("HTTP/1.1 101 UPGRADED\r\n" + "X: y\r\n".repeat(UpgradeAnswerReader.MAX_HEAD_BYTES / 6 + 1));

		assertThat(this.answers).isEmpty();
		assertThat(this.failures).singleElement().isInstanceOf(IOException.class);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anAnswerThatIsNotHttpFails() {
		write("SSH-2.0-OpenSSH\r\n\r\n");

		assertThat(this.answers).isEmpty();
		assertThat(this.failures).hasSize(1);
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void anAnswerOverItsLimitFails() {
		write("HTTP/1.1 500 Internal Server Error\r\nContent-Length: " + (UpgradeAnswerReader.MAX_ANSWER_BYTES + 1)
				+ "\r\n\r\n");

		assertThat(this.answers).isEmpty();
		assertThat(this.failures).hasSize(1);
		assertThat(this.channel.isOpen()).isFalse();
	}

	private void write(String text) {
		this.channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
	}

	private UpgradeAnswer single() {
		assertThat(this.failures).isEmpty();
		assertThat(this.answers).hasSize(1);
		return this.answers.get(0);
	}

	private HeldInput handOver() {
		ChannelHandlerContext reader = this.channel.pipeline().context(UpgradeAnswerReader.class);
		return ((UpgradeAnswerReader) reader.handler()).handOver(reader);
	}

	private static String text(ByteBuf bytes) {
		try {
			return bytes.toString(StandardCharsets.ISO_8859_1);
		}
		finally {
			bytes.release();
		}
	}

}
