package dev.socketproxy.access;

import java.time.Duration;

/**
 * The meters of a request's way through the proxy, as {@link RequestRecorder} feeds them;
 * implemented by the metrics, which this package does not know.
 */
public interface RequestMeters {

	/**
	 * Counts an access decision: {@code denial} is {@code null} for a request that was not
	 * refused, {@code reported} the refusal that report-only mode forwarded anyway.
	 */
	void decided(String method, Denial denial, Denial reported);

	/** Records how long the socket took to answer with the response head. */
	void upstreamAnswered(String method, int status, Duration elapsed);

	/** Counts a forwarded request that got no answer from the socket (the client gets 502). */
	void upstreamFailed(String method, Throwable error);

	void streamOpened();

	void streamClosed();

}
