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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The measurements that are not wrk runs: startup, event latency, large-body throughput. */
final class Measurements {

	private Measurements() {
	}

	/**
	 * One way of starting socket-proxy: its {@code java}, jar and JVM flags, and whether the
	 * management server runs beside it (as in the image, on a free port for each start).
	 */
	record Launch(String label, Path java, Path jar, List<String> jvmFlags, boolean healthCheck) {

		/** With the harness's own {@code java}, without the management server. */
		static Launch of(String label, Path jar, List<String> jvmFlags) {
			return new Launch(label, Path.of(System.getProperty("java.home"), "bin", "java"), jar, jvmFlags, false);
		}

		/** The command line of one start in front of {@code socket} on {@code port}, plus {@code args}. */
		List<String> command(Options options, List<String> extraJvmFlags, List<String> args, Path socket, int port) {
			List<String> flags = new ArrayList<>(this.jvmFlags);
			flags.addAll(extraJvmFlags);
			List<String> allArgs = new ArrayList<>();
			if (this.healthCheck) {
				allArgs.add("-allowhealthcheck");
				allArgs.add("--socketproxy.management.port=" + Ports.free());
			}
			allArgs.addAll(args);
			return Target.proxyCommand(this.java, options, this.jar, flags, allArgs, socket, port);
		}

	}

	/**
	 * Milliseconds from starting the proxy's JVM to the first 200 it proxies (polled every
	 * 5 ms), and the proxy stopped again.
	 */
	static double startupMillis(Options options, Launch launch, Path socket, Path log, Launched launched)
			throws IOException {
		int port = Ports.free();
		long start = System.nanoTime();
		Process process = launched.start(launch.command(options, List.of(), List.of(), socket, port), log);
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
				"--destination", extracted.toString()), log, Duration.ofMinutes(2));
		Path archive = work.resolve("socket-proxy.jsa");
		List<String> training = new ArrayList<>(List.of(java.toString()));
		training.addAll(Options.JAVA17_JVM_FLAGS);
		training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				extracted.resolve("socket-proxy.jar").toString(), "-socketpath=" + socket,
				"-proxyport=" + Ports.free(), "-allowGET=" + Target.GET_RULE));
		run(launched, training, log, Duration.ofMinutes(2));
		if (!Files.exists(archive)) {
			throw new IOException("no CDS archive written; see " + log);
		}
		return List.of("-XX:SharedArchiveFile=" + archive);
	}

	/**
	 * What the container image runs, made by the image's own scripts: the jlink'd runtime of
	 * {@code jdk} and the extracted jar ({@code scripts/image/build-runtime}), the AOT cache
	 * of one training run ({@code scripts/image/train-aot}, into a scratch directory: the JVM
	 * replaces the file it is given as AOT output), and the image's JVM options. The image
	 * sets {@code SP_ALLOWHEALTHCHECK=true}, so the management server starts too. Built once
	 * a run for each jar (ours, and {@code --baseline-jar}'s) in {@code work/NAME}, for the
	 * startup row and the load target of what the image runs. Empty, with the
	 * reason logged, when {@code jdk} is missing or has no AOT cache (before JDK 25).
	 */
	static Optional<Launch> image(Options options, Path jar, String name, Path work, Launched launched)
			throws IOException {
		Path java = options.imageJdk().resolve("bin").resolve("java");
		if (!Files.isExecutable(java)) {
			BenchmarkRun.log("no " + java + ": the image's runtime is not measured");
			return Optional.empty();
		}
		Path probe = Files.createTempDirectory(work, "aot-probe");
		Process version = launched.start(List.of(java.toString(), "-XX:AOTCacheOutput=" + probe.resolve("probe.aot"),
				"-version"), work.resolve("aot-probe.out"));
		try {
			if (!version.waitFor(60, TimeUnit.SECONDS) || version.exitValue() != 0) {
				BenchmarkRun.log(java + " has no AOT cache (-XX:AOTCacheOutput): the image's runtime is not measured");
				return Optional.empty();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		finally {
			Launched.stop(version);
		}
		Path image = work.resolve(name);
		Path log = work.resolve(name + "-build.out");
		BenchmarkRun.log("building the image's runtime and training its AOT cache (scripts/image) for " + jar);
		run(launched, List.of("scripts/image/build-runtime", options.imageJdk().toString(), jar.toString(),
				image.toString()), log, Duration.ofMinutes(10));
		run(launched, List.of("scripts/image/train-aot", image.resolve("runtime").toString(),
				image.resolve("app").toString(), options.imageJdk().toString()), log, Duration.ofMinutes(15));
		Path cache = image.resolve("app").resolve("socket-proxy.aot");
		if (!Files.exists(cache)) {
			throw new IOException("no AOT cache written; see " + log);
		}
		List<String> flags = new ArrayList<>(Options.SHIPPED_JVM_FLAGS);
		flags.add("-XX:AOTCache=" + cache);
		return Optional.of(new Launch("image: " + options.imageJdk().getFileName()
				+ " jlink'd runtime, image JVM flags, extracted jar + AOT cache, health check on",
				image.resolve("runtime").resolve("bin").resolve("java"), image.resolve("app").resolve("socket-proxy.jar"),
				flags, true));
	}

	private static void run(Launched launched, List<String> command, Path log, Duration timeout) throws IOException {
		Process process = launched.start(command, log);
		try {
			if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
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
