package dev.socketproxy.upstream;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.RequestRecorder;

/**
 * One request the {@link FastPathHandler} forwards: logged as allowed when it goes to the
 * socket, its answer relayed to the client as it comes and counted as the gateway path
 * counts it. How the answer ends, the fast path decides ({@link Outcome}).
 */
final class ForwardedRequest implements SocketLink.Receiver {

	private final ChannelHandlerContext client;

	private final HttpRequest head;

	private final Admission.Verdict admitted;

	private final RequestRecorder recorder;

	private final Outcome outcome;

	private final long start = System.nanoTime();

	private final boolean clientKeepsAlive;

	private boolean answered;

	/**
	 * @param client the fast path's place in the client connection's pipeline
	 * @param head the request head, which every access decision allowed
	 * @param admitted what allowed it
	 * @param recorder where the request is logged and counted
	 * @param outcome what happens when the answer ends or fails
	 */
	ForwardedRequest(ChannelHandlerContext client, HttpRequest head, Admission.Verdict admitted,
			RequestRecorder recorder, Outcome outcome) {
		this.client = client;
		this.head = head;
		this.admitted = admitted;
		this.recorder = recorder;
		this.outcome = outcome;
		this.clientKeepsAlive = HttpUtil.isKeepAlive(head);
	}

	HttpRequest head() {
		return this.head;
	}

	boolean clientKeepsAlive() {
		return this.clientKeepsAlive;
	}

	/** Whether the socket's answer has begun to reach the client. */
	boolean answered() {
		return this.answered;
	}

	void send(SocketLink socket) {
		logAllowed();
		socket.send(this.head, this);
	}

	private void logAllowed() {
		this.recorder.allowed(this.head.method().name(), this.admitted,
				(InetSocketAddress) this.client.channel().remoteAddress());
	}

	/** The socket answered with this head: it goes to the client, the body follows as it comes. */
	@Override
	public void head(HttpResponse response) {
		this.answered = true;
		ClientResponseHead.prepare(response, this.head.method(), this.clientKeepsAlive);
		countAnswered(response);
		this.client.write(response, this.client.voidPromise());
	}

	@Override
	public void content(HttpContent content) {
		this.client.write(content, this.client.voidPromise());
	}

	@Override
	public void end(LastHttpContent end) {
		this.outcome.ended(this, end);
	}

	@Override
	public void readComplete() {
		this.client.flush();
	}

	@Override
	public void unreachable() {
		this.outcome.unreachable(this);
	}

	@Override
	public void failed() {
		this.outcome.failed(this);
	}

	/** The socket's answer has begun: it counts as the socket's, with its latency, and opens a stream. */
	private void countAnswered(HttpResponse response) {
		this.recorder.answered(this.head.method().name(), response.status().code(),
				Duration.ofNanos(System.nanoTime() - this.start));
	}

	/**
	 * The answer has ended, whole or cut short: it leaves the open-streams gauge, and the
	 * request counts as allowed then, as on the gateway path.
	 */
	void countEnded() {
		this.recorder.ended(this.head.method().name(), null, null, true);
	}

	/** How a forwarded request ends, for the fast path to go on from there. */
	interface Outcome {

		/** The answer ended whole; {@code end} (owned by the callee) is not written yet. */
		void ended(ForwardedRequest request, LastHttpContent end);

		/** The socket failed the request, before or after its answer began. */
		void failed(ForwardedRequest request);

		/** The socket could not be reached: the request never left the proxy. */
		void unreachable(ForwardedRequest request);

	}

}
