package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts the connections this JVM (and so a {@link RunningProxy} in it) holds to a Unix
 * socket, as the kernel sees them: {@code ss -x} lists the server ends of the socket with
 * the inode of each peer, and {@code /proc/self/fd} names the sockets this process holds.
 * Unlike counting at a server, this works for a server the test does not own, such as
 * dockerd.
 */
public final class UnixSocketConnections {

	private static final Duration SS_TIMEOUT = Duration.ofSeconds(10);

	private UnixSocketConnections() {
	}

	/** How many connections to {@code socket} this process has open now. */
	public static int ofThisProcessTo(Path socket) {
		Set<String> peers = peerInodesOf(socket);
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return (int) descriptors.map(UnixSocketConnections::socketInode)
				.filter(peers::contains)
				.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The inodes at the other end of every connection accepted on {@code socket}. */
	private static Set<String> peerInodesOf(Path socket) {
		Command.Result listing = Command.run(SS_TIMEOUT, Map.of(), null,
				List.of("ss", "-x", "-H", "state", "connected", "src", socket.toString()));
		String lines = Command.succeeded(listing);
		return lines.lines()
			.map(String::trim)
			.filter((line) -> !line.isEmpty())
			.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
			.collect(Collectors.toSet());
	}

	/** {@code 1234} for a descriptor linking to {@code socket:[1234]}; empty for anything else or a closed one. */
	private static String socketInode(Path descriptor) {
		try {
			String target = Files.readSymbolicLink(descriptor).toString();
			return target.startsWith("socket:[") ? target.substring("socket:[".length(), target.length() - 1) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

}
