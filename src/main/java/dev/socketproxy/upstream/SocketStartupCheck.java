package dev.socketproxy.upstream;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Refuses to start when the socket does not answer, before the listener opens: a proxy
 * that can forward nothing should be restarted by its orchestrator, not look healthy.
 */
public class SocketStartupCheck implements SmartInitializingSingleton {

	private final Path socket;

	public SocketStartupCheck(Path socket) {
		this.socket = socket;
	}

	@Override
	public void afterSingletonsInstantiated() {
		try {
			UnixSocketProbe.connect(this.socket);
		}
		catch (IOException ex) {
			throw new SocketUnavailableException(this.socket, ex);
		}
	}

}
