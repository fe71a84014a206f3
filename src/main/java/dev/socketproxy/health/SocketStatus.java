package dev.socketproxy.health;

import java.time.Duration;

/**
 * The outcome of one {@link SocketCheck}.
 *
 * @param up whether the socket answered
 * @param check how it answered: {@code ping} when it spoke HTTP, {@code connect} when it
 * only accepted the connection, {@code none} when it did not even do that
 * @param httpStatus the status of the {@code HEAD /_ping} answer, or 0 without one
 * @param error why the socket counts as down, or {@code null} when it is up
 * @param elapsed how long the check took
 */
public record SocketStatus(boolean up, String check, int httpStatus, String error, Duration elapsed) {

	static SocketStatus pinged(int httpStatus, Duration elapsed) {
		boolean up = httpStatus < 500;
		return new SocketStatus(up, "ping", httpStatus, up ? null : "HEAD /_ping answered " + httpStatus, elapsed);
	}

	static SocketStatus connected(Duration elapsed) {
		return new SocketStatus(true, "connect", 0, null, elapsed);
	}

	static SocketStatus unreachable(String error, Duration elapsed) {
		return new SocketStatus(false, "none", 0, error, elapsed);
	}

}
