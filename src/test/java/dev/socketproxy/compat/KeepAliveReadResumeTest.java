package dev.socketproxy.compat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reactor Netty's HTTP/1.1 server with a client that sends a second request before the
 * first is answered (both in one packet, so that the second is certainly queued), gets a
 * slow answer to the first and an immediate one to the second, then sends a third.
 */
class KeepAliveReadResumeTest {

	private static final String SLOW_THEN_IMMEDIATE = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
			+ "GET /immediate HTTP/1.1\r\nHost: x\r\n\r\n";

	private static final String NEXT = "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";

	/** The canary: Reactor Netty's server on its own never reads the third request. */
	@Test
	void reactorNettyStillStopsReadingAfterAQueuedRequestIsAnsweredAtOnce() throws IOException {
		DisposableServer server = start(UnaryOperator.identity());
		try (Socket client = new Socket("127.0.0.1", server.port())) {
			firstTwoExchanges(client);

			send(client, NEXT);
			client.setSoTimeout(3000);
			assertThatExceptionOfType(SocketTimeoutException.class)
				.as("Reactor Netty reads the next request after a queued one was answered at once: the "
						+ "workaround KeepAliveReadResume can go (and its installation in ClientPipeline)")
				.isThrownBy(() -> readStatusLine(client.getInputStream()));
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void withTheHandlerInstalledAsTheListenerHasItTheNextRequestIsAnswered() throws IOException {
		DisposableServer server = start((http) -> http.doOnChannelInit((observer, channel, address) -> channel
			.pipeline()
			.addAfter(NettyPipeline.HttpTrafficHandler, KeepAliveReadResume.NAME, KeepAliveReadResume.INSTANCE)));
		try (Socket client = new Socket("127.0.0.1", server.port())) {
			firstTwoExchanges(client);

			send(client, NEXT);
			client.setSoTimeout(10_000);
			assertThat(readStatusLine(client.getInputStream())).isEqualTo("HTTP/1.1 200 OK /next");
		}
		finally {
			server.disposeNow();
		}
	}

	private static DisposableServer start(UnaryOperator<HttpServer> customizer) {
		return customizer.apply(HttpServer.create().host("127.0.0.1").port(0))
			.handle((request, response) -> response.sendString(request.uri().equals("/slow")
					? Mono.delay(Duration.ofMillis(200)).thenReturn(request.uri()) : Mono.just(request.uri())))
			.bindNow(Duration.ofSeconds(30));
	}

	private static void firstTwoExchanges(Socket client) throws IOException {
		client.setSoTimeout(10_000);
		send(client, SLOW_THEN_IMMEDIATE);
		InputStream in = client.getInputStream();
		assertThat(readStatusLine(in)).isEqualTo("HTTP/1.1 200 OK /slow");
		assertThat(readStatusLine(in)).isEqualTo("HTTP/1.1 200 OK /immediate");
	}

	private static void send(Socket client, String requests) throws IOException {
		client.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
		client.getOutputStream().flush();
	}

	/** Reads one response with a {@code Content-Length}; its status line and body. */
	private static String readStatusLine(InputStream in) throws IOException {
		String head = readHead(in);
		int length = 0;
		for (String line : head.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
		return head.substring(0, head.indexOf("\r\n")) + " " + body;
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed after " + head.size() + " bytes of a response head");
			}
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

}
