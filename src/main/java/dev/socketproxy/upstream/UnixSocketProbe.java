package dev.socketproxy.upstream;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Checks that something accepts connections on the Unix socket. Blocking, so it is only
 * for startup and for threads that are allowed to block.
 */
public final class UnixSocketProbe {

	private UnixSocketProbe() {
	}

	/**
	 * Connects once and closes again.
	 * @throws IOException naming why the socket does not answer
	 */
	public static void connect(Path socket) throws IOException {
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
			channel.finishConnect();
		}
	}

}
