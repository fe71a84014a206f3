package dev.socketproxy.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar ({@code target/socket-proxy.jar}) run as its own process, exactly as
 * a user runs it: for exit codes, what an operator sees on the console, and signals.
 */
public final class ProxyProcess implements AutoCloseable {

	private final Process process;

	private final StringBuffer output = new StringBuffer();

	private final StringBuffer errors = new StringBuffer();

	private final List<Thread> readers;

	private ProxyProcess(Process process) {
		this.process = process;
		this.readers = List.of(reader(process.getInputStream(), this.output), reader(process.getErrorStream(), this.errors));
	}

	/** Starts {@code java -jar socket-proxy.jar args} with extra environment variables. */
	public static ProxyProcess start(Map<String, String> env, String... args) {
		return start(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(), jar(), env, args);
	}

	/**
	 * Starts {@code java jvmOptions -jar jar args} on another Java runtime (such as the
	 * container image's jlink'd one), with extra environment variables.
	 */
	public static ProxyProcess start(Path java, List<String> jvmOptions, Path jar, Map<String, String> env,
			String... args) {
		List<String> command = new ArrayList<>();
		command.add(java.toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().keySet().removeIf((name) -> name.startsWith("SP_") || name.startsWith("SOCKETPROXY_"));
		builder.environment().putAll(env);
		try {
			return new ProxyProcess(builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The jar the build packaged; failsafe passes its path, a plain IDE run finds it in target/. */
	public static Path jar() {
		return Path.of(System.getProperty("it.proxy-jar", "target/socket-proxy.jar")).toAbsolutePath();
	}

	/** Waits until the process exits and returns its exit code. */
	public int waitForExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("proxy still running after " + timeout + "; output:\n" + output() + errors());
			}
			for (Thread reader : this.readers) {
				reader.join(timeout.toMillis());
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** Waits until the TCP port accepts connections; fails at once if the process exits. */
	public void waitForPort(int port, Duration timeout) {
		await("proxy listening on " + port).atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.failFast(() -> assertThat(this.process.isAlive()).as(() -> "proxy running; output:\n" + output() + errors())
				.isTrue())
			.untilAsserted(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				}
				catch (IOException ex) {
					throw new AssertionError("proxy not listening on " + port + " yet: " + ex.getMessage());
				}
			});
	}

	/** Waits until the console output contains the text. */
	public void waitForOutput(String text, Duration timeout) {
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(output()).as("console output").contains(text));
	}

	/**
	 * Sends SIGTERM. Unlike {@link Process#destroy()}, which closes the pipes, this keeps
	 * reading what the process logs while it shuts down.
	 */
	public void terminate() {
		this.process.toHandle().destroy();
	}

	/** What the process printed on standard output (the log). */
	public String output() {
		return this.output.toString();
	}

	/**
	 * The log as JSON lines ({@code SP_LOGJSON=true}); fails if it is empty or a line is not
	 * JSON. A line still being read (no line break yet) is left out: it is not JSON yet.
	 */
	public List<JsonNode> jsonLines() {
		JsonMapper json = JsonMapper.builder().build();
		String output = output();
		List<String> lines = output.substring(0, output.lastIndexOf('\n') + 1)
			.lines()
			.filter((line) -> !line.isBlank())
			.toList();
		if (lines.isEmpty()) {
			throw new AssertionError("the proxy logged nothing");
		}
		return lines.stream().map(json::readTree).toList();
	}

	/** What the process printed on standard error (startup failures). */
	public String errors() {
		return this.errors.toString();
	}

	public Process process() {
		return this.process;
	}

	@Override
	public void close() {
		Command.stop(this.process, Duration.ofSeconds(15));
	}

	private static Thread reader(InputStream stream, StringBuffer into) {
		Thread reader = new Thread(() -> {
			char[] buffer = new char[8192];
			// One decoder for the whole stream: a character split between two reads stays whole.
			try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					into.append(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// the process went away; what was read stays in the buffer
			}
		}, "proxy-output");
		reader.setDaemon(true);
		reader.start();
		return reader;
	}

}
