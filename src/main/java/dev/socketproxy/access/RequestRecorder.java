package dev.socketproxy.access;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Records a request the proxy forwards, the same way whichever path it takes (the
 * gateway's filters or the fast path): the DEBUG {@code allowed request} line when the
 * admission allowed it, the socket's answer (timed from when the path sent the request)
 * and the open response stream after it, and the count of its decision once it ended.
 */
public final class RequestRecorder {

	private final RequestMeters meters;

	private final SocketAnswers answers;

	public RequestRecorder(RequestMeters meters, SocketAnswers answers) {
		this.meters = meters;
		this.answers = answers;
	}

	/** The admission allowed the request; {@code client} is {@code null} on the Unix-socket listener. */
	public void allowed(String method, Admission.Verdict verdict, InetSocketAddress client) {
		AccessLog.allowed(method, verdict.target().toString(), client, verdict.rules());
	}

	/** The socket answered with the response head; its body is streamed to the client from now on. */
	public void answered(String method, int status, Duration elapsed) {
		this.answers.answered();
		this.meters.upstreamAnswered(method, status, elapsed);
		this.meters.streamOpened();
	}

	/** The socket did not answer. */
	public void failed(String method, Throwable error) {
		this.meters.upstreamFailed(method, error);
	}

	/**
	 * The request is over: its decision is counted, and its response stream closed if
	 * {@link #answered} opened one.
	 * @param denial the refusal the client got, {@code null} if none
	 * @param reported the refusal report-only mode forwarded anyway, {@code null} if none
	 * @param streamed whether the socket's answer was being streamed
	 */
	public void ended(String method, Denial denial, Denial reported, boolean streamed) {
		if (streamed) {
			this.meters.streamClosed();
		}
		this.meters.decided(method, denial, reported);
	}

}
