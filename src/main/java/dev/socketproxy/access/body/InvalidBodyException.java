package dev.socketproxy.access.body;

/** A request body the proxy cannot judge, so it is refused with 400; the message says why. */
public class InvalidBodyException extends IllegalArgumentException {

	public InvalidBodyException(String reason) {
		super(reason);
	}

}
