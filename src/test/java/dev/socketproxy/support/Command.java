package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
