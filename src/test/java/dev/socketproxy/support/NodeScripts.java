package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Node scripts in {@code src/test/node} that drive the proxy with real JavaScript client
 * libraries (dockerode). Their packages are pinned in {@code package-lock.json}; the first
 * script run installs them with {@code npm ci} when {@code node_modules} is missing, so a
 * fresh clone needs nothing but node and npm, and no other version can slip in.
 */
public final class NodeScripts {

	/** Where the scripts, {@code package.json} and {@code package-lock.json} live. */
	public static final Path DIR = Path.of("src/test/node");

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

	private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

	private NodeScripts() {
	}

	/** Runs {@code node <script> <args>} in {@link #DIR}, after installing the locked packages if needed. */
	public static Command.Result run(String script, String... args) {
		install();
		List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
		command.addAll(List.of(args));
		return Command.run(RUN_TIMEOUT, Map.of(), null, command);
	}

	/**
	 * {@code npm ci} from the lock file, when {@code node_modules} is missing, half-installed
	 * (npm writes its own {@code .package-lock.json} there last) or older than the lock file.
	 * Install scripts are skipped: the only one dockerode pulls in builds an optional native
	 * module for SSH, which is not used.
	 */
	private static synchronized void install() {
		Path installed = DIR.resolve("node_modules/.package-lock.json");
		try {
			if (Files.exists(installed) && Files.getLastModifiedTime(installed)
				.compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) >= 0) {
				return;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Command.succeeded(Command.run(INSTALL_TIMEOUT, Map.of(), null, List.of("npm", "ci", "--prefix",
				DIR.toString(), "--ignore-scripts", "--no-audit", "--no-fund")));
	}

}
