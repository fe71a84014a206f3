package dev.socketproxy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netty.channel.epoll.Epoll;
import reactor.netty.resources.LoopResources;

/**
 * Which I/O transport Reactor Netty runs on: epoll where Netty's native library loads, else
 * Java's NIO. On Linux the native transport is expected unless {@code -Dreactor.netty.native=false}
 * turns it off, so running on NIO there is worth a warning with the reason (typically a
 * {@code /tmp} mounted {@code noexec}, where Netty would unpack its library).
 * @param name {@code epoll} or {@code nio}
 * @param unavailable why the expected native transport did not load, on one line; {@code null}
 * when nothing was expected or it loaded
 */
public record NettyTransport(String name, String unavailable) {

	/** The transport this process runs on. */
	public static NettyTransport current() {
		if (!LoopResources.DEFAULT_NATIVE) {
			return new NettyTransport("nio", null);
		}
		if (Epoll.isAvailable()) {
			return new NettyTransport("epoll", null);
		}
		boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
		return new NettyTransport("nio", linux ? oneLine(Epoll.unavailabilityCause()) : null);
	}

	/** The messages of a failure, its causes and what it suppressed (Netty's loader keeps each attempt's). */
	static String oneLine(Throwable failure) {
		List<String> messages = new ArrayList<>();
		collect(failure, messages, 0);
		return String.join("; ", messages).replaceAll("\\s+", " ");
	}

	private static void collect(Throwable failure, List<String> messages, int depth) {
		if (failure == null || depth > 4) {
			return;
		}
		String message = failure.getClass().getSimpleName() + ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
		if (!messages.contains(message)) {
			messages.add(message);
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			collect(suppressed, messages, depth + 1);
		}
		collect(failure.getCause(), messages, depth + 1);
	}

}
