package dev.socketproxy.access;

import tools.jackson.core.io.JsonStringEncoder;

import org.springframework.http.HttpStatus;

/**
 * Why a request is refused: the status the client gets, the {@code reason} field of the
 * log line, and the plain-text body.
 *
 * @param status the response status
 * @param reason short, stable reason for logs and metrics
 * @param body the response body, without the trailing newline
 */
public record Denial(HttpStatus status, String reason, String body) {

	/** The peer is not in {@code allow-from}. */
	public static final Denial FORBIDDEN_IP = reference(HttpStatus.FORBIDDEN, "forbidden IP");

	/** No rule exists for the method (or it is not an HTTP method we know). */
	public static final Denial METHOD_NOT_ALLOWED = reference(HttpStatus.METHOD_NOT_ALLOWED, "method not allowed");

	/** The method has rules but none matches the path. */
	public static final Denial PATH_NOT_ALLOWED = reference(HttpStatus.FORBIDDEN, "path not allowed");

	/**
	 * A denial whose body names the reason after the status text, e.g.
	 * {@code Bad Request: non-canonical path: dot segment}.
	 */
	public static Denial explained(HttpStatus status, String reason) {
		return new Denial(status, reason, status.getReasonPhrase() + ": " + reason);
	}

	/**
	 * A denial answered as the engine answers its own errors, with the JSON body
	 * {@code {"message":"..."}} that Docker clients read (they take a 404 with it for an
	 * object that does not exist).
	 */
	public static Denial engineError(HttpStatus status, String reason, String message) {
		StringBuilder body = new StringBuilder("{\"message\":\"");
		JsonStringEncoder.getInstance().quoteAsString(message, body);
		return new Denial(status, reason, body.append("\"}").toString());
	}

	/** Whether the body is the engine's JSON error shape ({@link #engineError}). */
	public boolean engineShaped() {
		return this.body.startsWith("{");
	}

	/** The kind of this refusal, for metrics. */
	public RefusalReason kind() {
		return RefusalReason.of(this.reason);
	}

	/** A denial whose body, like the reference's, is just the status text. */
	private static Denial reference(HttpStatus status, String reason) {
		return new Denial(status, reason, status.getReasonPhrase());
	}

}
