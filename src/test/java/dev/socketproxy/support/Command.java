package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs a real command line (docker CLI, python3, ...) with a bounded wait and captures what it prints. */
public final class Command {

	private Command() {
	}

	/**
	 * Runs the command to completion.
	 * @param stdin bytes written to its standard input, then closed; {@code null} for none
	 */
	public static Result run(Duration timeout, Map<String, String> env, byte[] stdin, List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().putAll(env);
		try {
			Process process = builder.start();
			CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
			CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
			try (var in = process.getOutputStream()) {
				if (stdin != null) {
					in.write(stdin);
				}
			}
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				throw new AssertionError(command + " did not finish within " + timeout + "; stdout: "
						+ text(out.getNow(new byte[0])) + " stderr: " + text(err.getNow(new byte[0])));
			}
			return new Result(process.exitValue(), text(out.get(5, TimeUnit.SECONDS)), text(err.get(5, TimeUnit.SECONDS)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (Exception ex) {
			throw new AssertionError(command + " failed: " + ex, ex);
		}
	}

	/**
	 * Starts a long-running command (such as {@code docker events} or {@code logs -f}) whose
	 * output is read as it arrives; close the handle to stop it.
	 */
	public static Running start(Map<String, String> env, List<String> command) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(env);
		try {
			return new Running(command, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The standard output of a command that must have succeeded.
	 * @throws AssertionError with everything it printed, when it exited non-zero
	 */
	public static String succeeded(Result result) {
		if (result.exitCode() != 0) {
			throw new AssertionError("command failed: " + result);
		}
		return result.stdout();
	}

	private static byte[] readAll(InputStream in) {
		try (in) {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream();
			in.transferTo(buffer);
			return buffer.toByteArray();
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Asks {@code process} to end (SIGTERM), waits up to {@code grace}, then kills it;
	 * bounded in every case.
	 */
	public static void stop(Process process, Duration grace) {
		process.destroy();
		try {
			if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A command still running, with its standard output and error as read so far. */
	public static final class Running implements AutoCloseable {

		private final List<String> command;

		private final Process process;

		private final StringBuffer output = new StringBuffer();

		private Running(List<String> command, Process process) {
			this.command = command;
			this.process = process;
			Thread reader = new Thread(this::readOutput, "command-output");
			reader.setDaemon(true);
			reader.start();
		}

		/** Waits until the output contains {@code text}; fails after {@code timeout}. */
		public Running awaitOutput(String text, Duration timeout) {
			await().atMost(timeout)
				.pollInterval(Duration.ofMillis(50))
				.untilAsserted(() -> assertThat(output()).as("output of %s", this.command).contains(text));
			return this;
		}

		/** Waits for the command to end by itself; fails after {@code timeout}. */
		public int awaitExit(Duration timeout) {
			try {
				if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new AssertionError(this.command + " still running after " + timeout + "; output: " + output());
				}
				return this.process.exitValue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

		/** The command's standard input, open until closed here. */
		public OutputStream stdin() {
			return this.process.getOutputStream();
		}

		public boolean isAlive() {
			return this.process.isAlive();
		}

		public String output() {
			return this.output.toString();
		}

		@Override
		public void close() {
			stop(this.process, Duration.ofSeconds(5));
		}

		private void readOutput() {
			byte[] buffer = new byte[8192];
			try (InputStream in = this.process.getInputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					this.output.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				// the process went away; what was read stays in the buffer
			}
		}

	}

	/**
	 * What a finished command left behind.
	 *
	 * @param exitCode its exit code
	 * @param stdout what it printed on standard output
	 * @param stderr what it printed on standard error
	 */
	public record Result(int exitCode, String stdout, String stderr) {

		@Override
		public String toString() {
			return "exit " + this.exitCode + "\nstdout: " + this.stdout + "\nstderr: " + this.stderr;
		}

	}

}
