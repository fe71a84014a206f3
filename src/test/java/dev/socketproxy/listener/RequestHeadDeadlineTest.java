package dev.socketproxy.listener;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import dev.socketproxy.upstream.ExchangeTracker;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadline for each request head, on the embedded channel's own clock. */
class RequestHeadDeadlineTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void closesAConnectionWhoseFirstHeadDoesNotArriveInTime() {
		EmbeddedChannel channel = connected();
		elapse(channel, TIMEOUT.minusMillis(1));
		assertThat(channel.isOpen()).isTrue();
		elapse(channel, Duration.ofMillis(1));
		assertThat(channel.isOpen()).isFalse();
	}

	@Test
	void isOffWhileARequestIsAnsweredHoweverLongAndComesBackAfterTheResponse() {
		EmbeddedChannel channel = connected();
		request(channel);
		elapse(channel, TIMEOUT.multipliedBy(3));
		assertThat(channel.isOpen()).as("a streamed response runs as long as it needs").isTrue();

		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
		elapse(channel, TIMEOUT.multipliedBy(3));
		assertThat(channel.isOpen()).as("a 100 Continue answers nothing").isTrue();

		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		elapse(channel, TIMEOUT.minusMillis(1));
		assertThat(channel.isOpen()).isTrue();
		elapse(channel, Duration.ofMillis(1));
		assertThat(channel.isOpen()).as("idle after the response for the whole timeout").isFalse();
	}

	@Test
	void waitsForEveryPipelinedRequestToBeAnswered() {
		EmbeddedChannel channel = connected();
		request(channel);
		request(channel);
		channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
		elapse(channel, TIMEOUT.multipliedBy(2));
		assertThat(channel.isOpen()).isTrue();
	}

	@Test
	void neverComesBackAfter101() {
		EmbeddedChannel channel = connected();
		request(channel);
		channel.writeOutbound(
				new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
		elapse(channel, TIMEOUT.multipliedBy(3));
		assertThat(channel.isOpen()).isTrue();
	}

	/** The deadline ahead of the tracker it reads, as the {@link ClientPipeline} puts them. */
	private static EmbeddedChannel connected() {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.freezeTime();
		ExchangeTracker exchanges = new ExchangeTracker();
		channel.pipeline().addLast(new RequestHeadDeadline(TIMEOUT, exchanges), exchanges);
		return channel;
	}

	private static void request(EmbeddedChannel channel) {
		channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/events"));
	}

	private static void elapse(EmbeddedChannel channel, Duration time) {
		channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
		channel.runScheduledPendingTasks();
	}

}
