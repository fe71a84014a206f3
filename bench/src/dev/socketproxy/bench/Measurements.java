package dev.socketproxy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The measurements that are not wrk runs: startup, event latency, large-body throughput. */
final class Measurements {

	private Measurements() {
	}

	/**
	 * Milliseconds from starting the proxy's JVM to the first 200 it proxies (polled every
	 * 5 ms), and the proxy stopped again.
	 */
	static double startupMillis(Options options, Path jar, List<String> jvmFlags, Path socket, Path log,
			Launched launched) throws IOException {
		int port = Ports.free();
		long start = System.nanoTime();
		Process process = launched.start(Target.proxyCommand(options, jar, jvmFlags, List.of(), socket, port), log);
		try {
			long deadline = start + Duration.ofSeconds(60).toNanos();
			while (System.nanoTime() < deadline) {
				if (Http.status(port, Backend.SMALL_PATH) == 200) {
					return (System.nanoTime() - start) / 1_000_000.0;
				}
				if (!process.isAlive()) {
					throw new IllegalStateException("proxy exited with " + process.exitValue() + "; see " + log);
				}
				Launched.sleep(Duration.ofMillis(5));
			}
			throw new IllegalStateException("proxy did not answer within 60 s; see " + log);
		}
		finally {
			Launched.stop(process);
		}
	}

	/**
	 * Spring Boot's recipe for a class-data-sharing archive: the jar extracted (no nested
	 * jars to open), one training run that stops after the context refreshed, the archive
	 * written at exit. Returns the JVM flags that use it; the extracted jar is
	 * {@code extracted/socket-proxy.jar}.
	 */
	static List<String> trainCdsArchive(Options options, Path work, Path socket, Launched launched)
			throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Path extracted = work.resolve("extracted");
		Path log = work.resolve("cds-training.out");
		run(launched, List.of(java.toString(), "-Djarmode=tools", "-jar", options.jar().toString(), "extract",
				"--destination", extracted.toString()), log);
		Path archive = work.resolve("socket-proxy.jsa");
		List<String> training = new ArrayList<>(List.of(java.toString()));
		training.addAll(Options.SHIPPED_JVM_FLAGS);
		training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				extracted.resolve("socket-proxy.jar").toString(), "-socketpath=" + socket,
				"-proxyport=" + Ports.free(), "-allowGET=" + Target.GET_RULE));
		run(launched, training, log);
		if (!Files.exists(archive)) {
			throw new IOException("no CDS archive written; see " + log);
		}
		return List.of("-XX:SharedArchiveFile=" + archive);
	}

	private static void run(Launched launched, List<String> command, Path log) throws IOException {
		Process process = launched.start(command, log);
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				Launched.stop(process);
				throw new IOException("timed out: " + command);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	/**
	 * Microseconds from the event source writing each event to this client reading it
	 * through {@code target}: one streamed response with {@code events} events 10 ms apart.
	 */
	static List<Double> eventLatenciesMicros(Target target, int events) throws IOException {
		List<Double> latencies = new ArrayList<>();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port())) {
			socket.setSoTimeout(30_000);
			socket.setTcpNoDelay(true);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + Backend.EVENTS_PATH + "?n=" + events + "&gap=10 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
					StandardCharsets.ISO_8859_1));
			String status = in.readLine();
			if (status == null || !status.contains(" 200 ")) {
				throw new IOException(target.key() + " answered " + status + " for the event stream");
			}
			String line;
			while ((line = in.readLine()) != null) {
				long now = System.nanoTime();
				int at = line.indexOf("\"t\":");
				if (line.startsWith("{\"seq\"") && at > 0) {
					long sent = Long.parseLong(line.substring(at + 4, line.indexOf('}', at)));
					latencies.add((now - sent) / 1_000.0);
				}
				if (line.equals("0") && latencies.size() >= events) {
					break;
				}
			}
		}
		return latencies;
	}

	/** MB/s (10^6 bytes) of one {@code GET /blob} read to the end through {@code target}. */
	static double bodyMegabytesPerSecond(Target target, long expectedBytes) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port())) {
			socket.setSoTimeout(60_000);
			long start = System.nanoTime();
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + Backend.BLOB_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[256 * 1024];
			long total = 0;
			int read;
			while ((read = in.read(buffer)) >= 0) {
				total += read;
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			if (total < expectedBytes) {
				throw new IOException(target.key() + " delivered " + total + " bytes of " + expectedBytes);
			}
			return expectedBytes / 1e6 / seconds;
		}
	}

}
