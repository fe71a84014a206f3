package dev.socketproxy.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk against one target and reads its summary. */
final class Wrk {

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

	private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private Wrk() {
	}

	/** One measured run: throughput, latency percentiles, and the CPU the target used. */
	record Run(double requestsPerSecond, double p50Micros, double p99Micros, long requests, long errors,
			double cpuMicrosPerRequest, long rssKib) {
	}

	static Run run(Target target, String path, Options options, int seconds) throws IOException {
		return run(target, path, options.threads(), options.connections(), seconds);
	}

	static Run run(Target target, String path, int threads, int connections, int seconds) throws IOException {
		List<String> command = command(target, path, threads, connections, seconds, null);
		double cpuBefore = ProcStats.cpuSeconds(target.pid());
		Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
		long peakRss = 0;
		try {
			while (!wrk.waitFor(200, TimeUnit.MILLISECONDS)) {
				peakRss = Math.max(peakRss, ProcStats.rssKib(target.pid()));
			}
		}
		catch (InterruptedException ex) {
			wrk.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		// Lets socat reap its per-connection children, so their CPU lands in the parent's cutime.
		Launched.sleep(Duration.ofMillis(300));
		double cpuAfter = ProcStats.cpuSeconds(target.pid());
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (wrk.exitValue() != 0) {
			throw new IOException("wrk failed: " + output);
		}
		return parse(output, cpuAfter - cpuBefore, peakRss);
	}

	/** The wrk command line; {@code script} (a wrk Lua file, such as one with a {@code delay()}) may be null. */
	static List<String> command(Target target, String path, int threads, int connections, int seconds, Path script) {
		List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
				"--timeout", "5s", "--latency"));
		if (script != null) {
			command.addAll(List.of("-s", script.toString()));
		}
		command.add("http://127.0.0.1:" + target.port() + path);
		return command;
	}

	static Run parse(String output, double cpuSeconds, long peakRss) {
		Matcher requests = REQUESTS.matcher(output);
		if (!requests.find()) {
			throw new IllegalStateException("no request count in wrk output:\n" + output);
		}
		long count = Long.parseLong(requests.group(1));
		Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
		double perSecond = rps.find() ? Double.parseDouble(rps.group(1)) : 0;
		double p50 = Double.NaN;
		double p99 = Double.NaN;
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double micros = Double.parseDouble(percentile.group(2)) * switch (percentile.group(3)) {
				case "us" -> 1;
				case "ms" -> 1_000;
				default -> 1_000_000;
			};
			if (percentile.group(1).equals("50")) {
				p50 = micros;
			}
			else {
				p99 = micros;
			}
		}
		long errors = 0;
		Matcher non2xx = NON_2XX.matcher(output);
		if (non2xx.find()) {
			errors += Long.parseLong(non2xx.group(1));
		}
		Matcher socket = SOCKET_ERRORS.matcher(output);
		if (socket.find()) {
			for (int i = 1; i <= 4; i++) {
				errors += Long.parseLong(socket.group(i));
			}
		}
		double cpuPerRequest = count > 0 ? cpuSeconds * 1_000_000 / count : Double.NaN;
		return new Run(perSecond, p50, p99, count, errors, cpuPerRequest, peakRss);
	}

}
