package dev.socketproxy.config;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.context.properties.bind.BindException;

/**
 * Exit codes and one-line messages for a start that fails, shared by {@code main} (for
 * flags that fail before Spring starts) and the failure analyzer (for everything bound
 * later). Exit codes follow the reference: 1 for bad configuration; a failure that knows
 * its own code (the socket missing at startup: 2) implements {@link ExitCodeGenerator}.
 */
public final class StartupFailures {

	public static final int BAD_CONFIGURATION = 1;

	private StartupFailures() {
	}

	/** {@code socket-proxy: invalid configuration: key='value' (from origin): reason}. */
	public static String describe(InvalidConfigurationException ex, String origin) {
		StringBuilder line = new StringBuilder("invalid configuration: ").append(ex.getKey()).append('=');
		line.append((ex.getValue() != null) ? "'" + ex.getValue() + "'" : "(empty)");
		if (origin != null) {
			line.append(" (from ").append(origin).append(')');
		}
		return line.append(": ").append(ex.getReason()).toString();
	}

	/** The process exit code for a failed start. */
	public static int exitCode(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ExitCodeGenerator generator) {
				return generator.getExitCode();
			}
			if (cause instanceof InvalidConfigurationException || cause instanceof BindException) {
				return BAD_CONFIGURATION;
			}
		}
		return BAD_CONFIGURATION;
	}

}
