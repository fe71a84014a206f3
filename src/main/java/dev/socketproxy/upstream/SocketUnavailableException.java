package dev.socketproxy.upstream;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.boot.ExitCodeGenerator;

/** The socket does not answer at startup; the process exits with code 2, as the reference does. */
public class SocketUnavailableException extends RuntimeException implements ExitCodeGenerator {

	public SocketUnavailableException(Path socket, IOException cause) {
		super("socket not available: " + socket + " (" + cause.getMessage() + ")", cause);
	}

	@Override
	public int getExitCode() {
		return 2;
	}

}
