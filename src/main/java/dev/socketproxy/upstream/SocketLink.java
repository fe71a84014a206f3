package dev.socketproxy.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A client connection's link to the socket, for the {@link FastPathHandler}: it sends one
 * judged request at a time and passes on the socket's answer. How it reaches the socket
 * and whether it keeps a connection between requests is its own business
 * ({@link UnixSocketLink}).
 */
interface SocketLink {

	/**
	 * Sends a request without a body that every access decision allowed; what the socket
	 * answers goes to {@code receiver}, until the answer has ended or failed.
	 * @param head the request head as the client sent it
	 * @param receiver takes the answer; replaces any earlier one
	 */
	void send(HttpRequest head, Receiver receiver);

	/** Backpressure: reads from the socket only while the client takes what is relayed. */
	void clientWritable(boolean writable);

	/** Closes the link; a request under way gets no answer and no failure. */
	void close();

	/** Takes the socket's answer to one request, on the client connection's event loop. */
	interface Receiver {

		/** The socket answered with this head (never a {@code 1xx}); its body follows. */
		void head(HttpResponse response);

		/** A part of the body (owned by the receiver). */
		void content(HttpContent content);

		/** The end of the answer (owned by the receiver): nothing more follows. */
		void end(LastHttpContent end);

		/** What one read from the socket brought has been passed on. */
		void readComplete();

		/** The socket could not be reached: the request never left the proxy. */
		void unreachable();

		/**
		 * The socket failed the request: it closed, or sent what is not a valid answer,
		 * before or after the head (nothing more follows).
		 */
		void failed();

	}

}
