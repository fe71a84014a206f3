package dev.socketproxy.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

import dev.socketproxy.support.RawUnixSocketServer;
import dev.socketproxy.support.ReceivedRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path's link to a real Unix socket, from a client connection on a real NIO event loop. */
class UnixSocketLinkTest {

	private static final HopByHopHeaders HOP_BY_HOP = new HopByHopHeaders(new RemoveHopByHopHeadersFilter());

	@TempDir
	Path directory;

	private EventLoopGroup loop;

	private ServerSocket clients;

	private Socket clientEnd;

	private Channel client;

	@BeforeEach
	void connectAClient() throws Exception {
		this.loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
		this.clients = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.client = new Bootstrap().group(this.loop)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInboundHandlerAdapter())
			.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.clients.getLocalPort()))
			.sync()
			.channel();
		this.clientEnd = this.clients.accept();
	}

	@AfterEach
	void close() throws IOException {
		this.client.close().syncUninterruptibly();
		this.clientEnd.close();
		this.clients.close();
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void sendsHttp11WithoutHopByHopHeadersAndKeepsTheConnectionTheSocketKeeps() throws Exception {
		try (RawUnixSocketServer socket = RawUnixSocketServer.start(this.directory.resolve("docker.sock"),
				RawUnixSocketServer.dockerLike())) {
			UnixSocketLink link = new UnixSocketLink(this.client, socket.socketPath(), HOP_BY_HOP);
			Answers first = send(link, "/v1.41/containers/json");
			assertThat(first.next()).isEqualTo("head 200");
			assertThat(first.untilEnd()).isEqualTo("end");
			Answers second = send(link, "/v1.41/images/json");
			assertThat(second.next()).isEqualTo("head 200");
			assertThat(second.untilEnd()).isEqualTo("end");

			assertThat(socket.received()).hasSize(2);
			ReceivedRequest request = socket.received().get(0);
			assertThat(request.head()).startsWith("GET /v1.41/containers/json HTTP/1.1\r\n")
				.doesNotContainIgnoringCase("keep-alive")
				.containsIgnoringCase("host: docker");
			assertThat(socket.received().get(1).connection()).as("kept alive").isEqualTo(request.connection());
			this.client.eventLoop().submit(link::close).sync();
		}
	}

	@Test
	void aSocketThatClosesAfterItsAnswerGetsANewConnectionForTheNext() throws Exception {
		try (RawUnixSocketServer socket = RawUnixSocketServer.start(this.directory.resolve("docker.sock"),
				(request) -> RawUnixSocketServer.Answer
					.raw("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"))) {
			UnixSocketLink link = new UnixSocketLink(this.client, socket.socketPath(), HOP_BY_HOP);
			assertThat(send(link, "/_ping").untilEnd()).isEqualTo("end");
			assertThat(send(link, "/_ping").untilEnd()).isEqualTo("end");

			assertThat(socket.received()).extracting(ReceivedRequest::connection).doesNotHaveDuplicates().hasSize(2);
		}
	}

	@Test
	void aSocketNobodyListensOnIsUnreachable() throws Exception {
		UnixSocketLink link = new UnixSocketLink(this.client, this.directory.resolve("nobody.sock"), HOP_BY_HOP);
		assertThat(send(link, "/_ping").next()).isEqualTo("unreachable");
	}

	@Test
	void aSocketThatClosesWithoutAnAnswerFailsTheRequest() throws Exception {
		try (RawUnixSocketServer socket = RawUnixSocketServer.start(this.directory.resolve("docker.sock"),
				(request) -> RawUnixSocketServer.Answer.raw(""))) {
			UnixSocketLink link = new UnixSocketLink(this.client, socket.socketPath(), HOP_BY_HOP);
			assertThat(send(link, "/_ping").next()).isEqualTo("failed");
		}
	}

	@Test
	void anInformationalAnswerIsNoAnswer() throws Exception {
		try (RawUnixSocketServer socket = RawUnixSocketServer.start(this.directory.resolve("docker.sock"),
				(request) -> RawUnixSocketServer.Answer.raw("HTTP/1.1 102 Processing\r\n\r\n"
						+ "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"))) {
			UnixSocketLink link = new UnixSocketLink(this.client, socket.socketPath(), HOP_BY_HOP);
			Answers answers = send(link, "/_ping");
			assertThat(answers.next()).isEqualTo("failed");
			assertThat(answers.events.poll(200, TimeUnit.MILLISECONDS)).as("nothing after the 102 is passed on").isNull();
		}
	}

	private Answers send(UnixSocketLink link, String uri) throws Exception {
		HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
		head.headers()
			.set(HttpHeaderNames.HOST, "docker")
			.set(HttpHeaderNames.CONNECTION, "keep-alive")
			.set("Keep-Alive", "timeout=5");
		Answers answers = new Answers();
		this.client.eventLoop().submit(() -> link.send(head, answers)).sync();
		return answers;
	}

	/** What the link passed on, one line per call but the flush hints, in order. */
	private static final class Answers implements SocketLink.Receiver {

		private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

		String next() throws InterruptedException {
			String event = this.events.poll(10, TimeUnit.SECONDS);
			assertThat(event).as("the link's next call").isNotNull();
			return event;
		}

		/** The first call after the head that is not a part of the body. */
		String untilEnd() throws InterruptedException {
			String event = next();
			while (event.equals("content") || event.startsWith("head")) {
				event = next();
			}
			return event;
		}

		@Override
		public void head(HttpResponse response) {
			this.events.add("head " + response.status().code());
		}

		@Override
		public void content(HttpContent content) {
			content.release();
			this.events.add("content");
		}

		@Override
		public void end(LastHttpContent end) {
			end.release();
			this.events.add("end");
		}

		@Override
		public void readComplete() {
		}

		@Override
		public void unreachable() {
			this.events.add("unreachable");
		}

		@Override
		public void failed() {
			this.events.add("failed");
		}

	}

}
