package dev.socketproxy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Every process the harness starts, so that all of them are stopped again, also when the
 * harness fails or is interrupted.
 */
final class Launched implements AutoCloseable {

	private final List<Process> processes = new ArrayList<>();

	Launched() {
		Runtime.getRuntime().addShutdownHook(new Thread(this::close));
	}

	/** Starts a command with its output appended to {@code log}. */
	Process start(List<String> command, Path log) throws IOException {
		return start(command, Map.of(), log);
	}

	/** Starts a command with {@code environment} added to the harness's own. */
	synchronized Process start(List<String> command, Map<String, String> environment, Path log) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	/** Stops one process (SIGTERM, then SIGKILL after five seconds) and its descendants. */
	static void stop(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		process.destroy();
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
		descendants.forEach(ProcessHandle::destroyForcibly);
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	@Override
	public synchronized void close() {
		for (Process process : this.processes) {
			if (process.isAlive()) {
				stop(process);
			}
		}
		this.processes.clear();
	}

}
