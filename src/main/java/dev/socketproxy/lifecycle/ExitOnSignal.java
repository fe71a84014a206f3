package dev.socketproxy.lifecycle;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT end the process with exit code 0, as the reference does; the JVM
 * would report 143 or 130. The exit runs the shutdown hooks, so Spring's graceful
 * shutdown still stops the listener, lets in-flight requests finish up to
 * {@code shutdown-grace-time} and then closes what is left.
 */
public final class ExitOnSignal {

	private ExitOnSignal() {
	}

	/** Replaces the JVM's handlers; call once, from {@code main} only. */
	public static void install() {
		for (String name : new String[] { "TERM", "INT" }) {
			Signal.handle(new Signal(name), (signal) -> System.exit(0));
		}
	}

}
