package dev.socketproxy.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one count of requests and final responses on a connection, and its one 1xx rule. */
class ExchangeTrackerTest {

	private final ExchangeTracker exchanges = new ExchangeTracker();

	private final EmbeddedChannel channel = new EmbeddedChannel(this.exchanges);

	@Test
	void numbersRequestsAsTheyAreReadAndCountsAResponseAtItsEnd() {
		request();
		request();
		assertThat(this.exchanges.read()).isEqualTo(2);
		assertThat(this.exchanges.answered()).isZero();

		this.channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		assertThat(this.exchanges.answered()).as("a head alone answers nothing yet").isZero();
		this.channel.writeOutbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] { 1 })));
		assertThat(this.exchanges.answered()).isEqualTo(1);
		assertThat(this.exchanges.allAnswered()).isFalse();

		this.channel.writeOutbound(full(HttpResponseStatus.NOT_FOUND));
		assertThat(this.exchanges.answered()).isEqualTo(2);
		assertThat(this.exchanges.allAnswered()).isTrue();
		assertThat(this.exchanges.state()).isEqualTo(ExchangeTracker.State.HTTP);
		assertThat(this.channel.inboundMessages()).as("everything passes on").hasSize(2);
		assertThat(this.channel.outboundMessages()).hasSize(3);
	}

	@Test
	void anInformationalResponseOtherThan101IsNotFinal() {
		request();
		this.channel.writeOutbound(full(HttpResponseStatus.CONTINUE));
		assertThat(this.exchanges.answered()).isZero();
		this.channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PROCESSING),
				LastHttpContent.EMPTY_LAST_CONTENT);
		assertThat(this.exchanges.answered()).isZero();

		this.channel.writeOutbound(full(HttpResponseStatus.OK));
		assertThat(this.exchanges.answered()).isEqualTo(1);
	}

	@Test
	void a101AnswersItsRequestAndEndsTheCounting() {
		request();
		this.channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
		assertThat(this.exchanges.answered()).isEqualTo(1);
		assertThat(this.exchanges.state()).isEqualTo(ExchangeTracker.State.SWITCHED);

		request();
		this.channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT, full(HttpResponseStatus.OK));
		assertThat(this.exchanges.read()).isEqualTo(1);
		assertThat(this.exchanges.answered()).isEqualTo(1);
	}

	@Test
	void aResponseEndWithNothingOwedCountsNothing() {
		this.channel.writeOutbound(full(HttpResponseStatus.BAD_REQUEST));
		assertThat(this.exchanges.answered()).isZero();
		request();
		assertThat(this.exchanges.allAnswered()).isFalse();
	}

	@Test
	void theUpgradeRequestIsAnsweredAfterThePipelinedRequestsBeforeIt() {
		request();
		request();
		this.exchanges.upgradeRequested();
		assertThat(this.exchanges.state()).isEqualTo(ExchangeTracker.State.UPGRADE_REQUESTED);
		assertThat(this.exchanges.answeringUpgradeRequest()).isFalse();

		this.channel.writeOutbound(full(HttpResponseStatus.OK));
		assertThat(this.exchanges.answeringUpgradeRequest()).isTrue();
		assertThat(this.exchanges.upgradeRequestAnswered()).isFalse();
		this.channel.writeOutbound(full(HttpResponseStatus.CONTINUE));
		assertThat(this.exchanges.answeringUpgradeRequest()).as("after a 100 the answer is still to come").isTrue();

		this.channel.writeOutbound(full(HttpResponseStatus.NOT_FOUND));
		assertThat(this.exchanges.answeringUpgradeRequest()).isFalse();
		assertThat(this.exchanges.upgradeRequestAnswered()).isTrue();
	}

	private void request() {
		this.channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/_ping"));
	}

	private static DefaultFullHttpResponse full(HttpResponseStatus status) {
		return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
	}

}
