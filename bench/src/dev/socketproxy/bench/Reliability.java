package dev.socketproxy.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The reliability rows of {@code bench/run --reliability}: what users notice over hours
 * rather than per request. Each row runs on every target it applies to, one after the
 * other, and is bounded in time: held event streams and idle keep-alive connections (the
 * memory they cost, and a normal request's latency meanwhile), a soak at about half
 * load (the memory's slope and the errors), the engine's socket gone for 5 s under load
 * (errors, recovery time, log lines), and the rules file rewritten every second under
 * load (failed allowed requests).
 */
final class Reliability {

	private static final Duration OUTAGE = Duration.ofSeconds(5);

	/** Load before and after the outage: long enough to see it steady. */
	private static final Duration STEADY = Duration.ofSeconds(5);

	private static final Duration RELOAD_LOAD = Duration.ofSeconds(15);

	/** The load of the outage and reload rows: wrk -t1 -c4, as in the soak that found the log flood. */
	private static final int LOAD_CONNECTIONS = 4;

	/** socat forks a process per connection: a few thousand at once would swamp a shared machine. */
	private static final int SOCAT_MAX_STREAMS = 1000;

	/** The soak's wrk delays each request this long, so that connections set the rate. */
	private static final int SOAK_DELAY_MILLIS = 10;

	private static final Duration SOAK_SAMPLE = Duration.ofSeconds(10);

	/** What every RSS figure is. */
	private static final String RSS = " RSS is VmRSS summed over the target's process tree (socat: a process per"
			+ " connection, the pages they share counted in each).";

	private final Options options;

	private final Path work;

	private final Launched launched;

	private final Backend backend;

	private final EventSource events;

	private final Results results;

	Reliability(Options options, Path work, Launched launched, Backend backend, EventSource events, Results results) {
		this.options = options;
		this.work = work;
		this.launched = launched;
		this.backend = backend;
		this.events = events;
		this.results = results;
	}

	/** Every row on {@code targets}; the reload row on the socket-proxy targets, started again from {@code starts}. */
	void run(List<Target> targets, List<Target.Start> starts) throws IOException {
		for (int streams : this.options.streams()) {
			Results.Table table = this.results.table(Report.fmt(streams, 0) + " event streams held open",
					"Each stream is a `GET /events` the backend answers with one event a second and never ends (like"
							+ " `docker events`). RSS with the streams open; the normal request's latency is wrk -t1 -c4,"
							+ " 5 s, on `GET " + Backend.SMALL_PATH + "` meanwhile. socat forks a process per connection,"
							+ " so it runs at most " + SOCAT_MAX_STREAMS + " streams." + RSS,
					"target", "streams answered 200", "held at the backend", "RSS before", "RSS with the streams",
					"request p50", "request p99", "request errors");
			for (Target target : targets) {
				if (!target.key().equals("socat") || streams <= SOCAT_MAX_STREAMS) {
					table.add(streams(target, streams));
				}
			}
		}
		Results.Table idle = this.results.table(Report.fmt(this.options.idleConnections(), 0)
				+ " idle keep-alive connections", "Each connection sent one `GET " + Backend.SMALL_PATH
						+ "`, read the answer and stays open; RSS 2 s later." + RSS,
				"target", "answered 200", "RSS before", "RSS with the connections", "per connection");
		for (Target target : targets) {
			idle.add(idle(target, this.options.idleConnections()));
		}
		Results.Table soak = this.results.table("Soak at about half load, " + this.options.soakSeconds() + " s",
				"Half of the target's own maximum (wrk -t" + this.options.threads() + " -c"
						+ this.options.connections() + ", 5 s), as wrk connections each waiting " + SOAK_DELAY_MILLIS
						+ " ms between requests (their number set by a 5 s trial); RSS sampled every "
						+ SOAK_SAMPLE.toSeconds() + " s from " + SOAK_SAMPLE.toSeconds()
						+ " s on while the load lasts, slope by least squares (target: at most 1 MiB/min, 0 errors)."
						+ RSS,
				"target", "maximum req/s", "soak req/s", "RSS first", "RSS last", "slope", "errors");
		for (Target target : targets) {
			soak.add(soak(target));
		}
		Results.Table outage = this.results.table("The engine's socket gone for " + OUTAGE.toSeconds()
				+ " s under load",
				"Load: " + LOAD_CONNECTIONS + " keep-alive connections sending `GET " + Backend.SMALL_PATH
						+ "` back to back. The socket is removed and nginx stops (closing its connections); a new"
						+ " nginx binds the socket " + OUTAGE.toSeconds() + " s after the removal. Recovery: from the socket"
						+ " answering again to the first 200 through the target (connections already open die when"
						+ " nginx has stopped, a moment after the removal). Log lines: what the target wrote"
						+ " from the socket's loss until " + STEADY.toSeconds() + " s after its return.",
				"target", "requests", "errors before", "errors in the gap", "errors after recovery", "gap",
				"recovery", "log lines");
		for (Target target : targets) {
			outage.add(outage(target));
		}
		Results.Table reload = this.results.table("Rules file rewritten every second under load",
				"The same socket-proxy started with a rules file (checked every 500 ms) that is rewritten in place"
						+ " every second, alternating two versions that both allow the load's `GET "
						+ Backend.SMALL_PATH + "`; " + LOAD_CONNECTIONS + " keep-alive connections, "
						+ RELOAD_LOAD.toSeconds() + " s. Target: 0 failed requests.",
				"target", "requests", "failed", "rewrites", "reloads logged", "reloads refused");
		for (Target.Start start : starts) {
			reload.add(reload(start));
		}
	}

	private List<String> streams(Target target, int count) throws IOException {
		BenchmarkRun.log(count + " event streams through " + target.key());
		int heldBefore = this.events.held();
		long rssBefore = ProcStats.rssKib(target.pid());
		List<Socket> sockets = new ArrayList<>();
		try {
			byte[] request = ("GET " + Backend.EVENTS_PATH + "?hold=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1);
			for (int i = 0; i < count; i++) {
				Socket socket = connect(target);
				sockets.add(socket);
				socket.getOutputStream().write(request);
			}
			int answered = 0;
			long answerDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			for (Socket socket : sockets) {
				if (System.nanoTime() < answerDeadline && statusOf(socket) == 200) {
					answered++;
				}
			}
			int expected = answered;
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (this.events.held() - heldBefore < expected && System.nanoTime() < deadline) {
				Launched.sleep(Duration.ofMillis(50));
			}
			int held = this.events.held() - heldBefore;
			Launched.sleep(Duration.ofSeconds(2));
			long rss = ProcStats.rssKib(target.pid());
			Wrk.Run probe = Wrk.run(target, Backend.SMALL_PATH, 1, LOAD_CONNECTIONS, 5);
			return List.of(target.label(), Integer.toString(answered), Integer.toString(held), mib(rssBefore),
					mib(rss), Report.micros(probe.p50Micros()), Report.micros(probe.p99Micros()),
					Long.toString(probe.errors()));
		}
		finally {
			sockets.forEach(Reliability::close);
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (this.events.held() > heldBefore && System.nanoTime() < deadline) {
				Launched.sleep(Duration.ofMillis(100));
			}
		}
	}

	private List<String> idle(Target target, int count) throws IOException {
		BenchmarkRun.log(count + " idle keep-alive connections to " + target.key());
		long rssBefore = ProcStats.rssKib(target.pid());
		List<Socket> sockets = new ArrayList<>();
		try {
			byte[] request = ("GET " + Backend.SMALL_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1);
			int answered = 0;
			for (int i = 0; i < count; i++) {
				Socket socket = connect(target);
				sockets.add(socket);
				socket.getOutputStream().write(request);
				try {
					LoadLoop.Response response = LoadLoop.Response.read(new BufferedInputStream(socket.getInputStream()));
					if (response.status() == 200 && response.keepAlive()) {
						answered++;
					}
				}
				catch (IOException | RuntimeException ex) {
					// counted as not answered
				}
			}
			Launched.sleep(Duration.ofSeconds(2));
			long rss = ProcStats.rssKib(target.pid());
			return List.of(target.label(), Integer.toString(answered), mib(rssBefore), mib(rss),
					Report.fmt((rss - rssBefore) / (double) count, 1) + " KiB");
		}
		finally {
			sockets.forEach(Reliability::close);
		}
	}

	private List<String> soak(Target target) throws IOException {
		int warmup = target.baseline() ? 2 : this.options.warmupSeconds();
		BenchmarkRun.log("soak " + target.key() + ": warm-up " + warmup + " s, maximum, then "
				+ this.options.soakSeconds() + " s at half of it");
		Wrk.run(target, Backend.SMALL_PATH, this.options, warmup);
		Wrk.Run maximum = Wrk.run(target, Backend.SMALL_PATH, this.options, 5);
		double half = maximum.requestsPerSecond() / 2;
		Path script = Files.writeString(this.work.resolve("soak-delay.lua"),
				"function delay()\n  return " + SOAK_DELAY_MILLIS + "\nend\n");
		// Each connection makes a little under 1000 / delay requests a second; one trial corrects for the rest.
		int connections = soakConnections(half * SOAK_DELAY_MILLIS / 1000.0);
		Wrk.Run trial = Wrk.parse(runWrk(Wrk.command(target, Backend.SMALL_PATH,
				Math.min(this.options.threads(), connections), connections, 5, script)), 0, 0);
		if (trial.requestsPerSecond() > 0) {
			connections = soakConnections(connections * half / trial.requestsPerSecond());
		}
		List<String> command = Wrk.command(target, Backend.SMALL_PATH, Math.min(this.options.threads(), connections),
				connections, this.options.soakSeconds(), script);
		Path output = this.work.resolve("soak-" + target.key() + "-wrk.out");
		Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		long start = System.nanoTime();
		List<double[]> samples = new ArrayList<>();
		try {
			samples.add(new double[] { 0, ProcStats.rssKib(target.pid()) / 1024.0 });
			while (!wrk.waitFor(SOAK_SAMPLE.toMillis(), TimeUnit.MILLISECONDS)) {
				samples.add(new double[] { (System.nanoTime() - start) / 60e9, ProcStats.rssKib(target.pid()) / 1024.0 });
			}
		}
		catch (InterruptedException ex) {
			wrk.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		// The first sample shows the trial's load, not the soak's; there is none after the load.
		samples.remove(0);
		try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(
				this.options.results().resolve("raw").resolve("soak-" + target.key() + ".csv")))) {
			csv.println("minutes,rss_mib");
			samples.forEach((sample) -> csv.printf(Locale.ROOT, "%.3f,%.1f%n", sample[0], sample[1]));
		}
		Wrk.Run run = Wrk.parse(Files.readString(output), 0, 0);
		return List.of(target.label(), Report.fmt(maximum.requestsPerSecond(), 0),
				Report.fmt(run.requestsPerSecond(), 0) + " (" + connections + " connections)",
				Report.fmt(samples.get(0)[1], 0) + " MiB",
				Report.fmt(samples.get(samples.size() - 1)[1], 0) + " MiB", Report.fmt(slope(samples), 2) + " MiB/min",
				Long.toString(run.errors()));
	}

	private static int soakConnections(double wanted) {
		return (int) Math.max(1, Math.min(1000, Math.round(wanted)));
	}

	/** Runs wrk to its end and returns what it printed. */
	private static String runWrk(List<String> command) throws IOException {
		Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (wrk.waitFor() != 0) {
				throw new IOException("wrk failed: " + output);
			}
			return output;
		}
		catch (InterruptedException ex) {
			wrk.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	/** Least-squares slope of y over x. */
	static double slope(List<double[]> points) {
		double n = points.size();
		double sx = 0;
		double sy = 0;
		double sxx = 0;
		double sxy = 0;
		for (double[] point : points) {
			sx += point[0];
			sy += point[1];
			sxx += point[0] * point[0];
			sxy += point[0] * point[1];
		}
		double denominator = n * sxx - sx * sx;
		return (denominator == 0) ? Double.NaN : (n * sxy - sx * sy) / denominator;
	}

	private List<String> outage(Target target) throws IOException {
		BenchmarkRun.log("socket gone for " + OUTAGE.toSeconds() + " s under load through " + target.key());
		Path log = Target.output(this.work, target.key());
		LoadLoop load = LoadLoop.start(target.port(), Backend.SMALL_PATH, LOAD_CONNECTIONS);
		long[] gap;
		long linesBefore;
		List<LoadLoop.Outcome> outcomes;
		try {
			Launched.sleep(STEADY);
			linesBefore = lines(log);
			gap = this.backend.restart(OUTAGE);
			Launched.sleep(STEADY);
		}
		finally {
			outcomes = load.stop();
		}
		long linesDuring = lines(log) - linesBefore;
		long recovered = outcomes.stream()
			.filter((outcome) -> outcome.ok() && outcome.endNanos() >= gap[1])
			.mapToLong(LoadLoop.Outcome::endNanos)
			.findFirst()
			.orElse(Long.MAX_VALUE);
		long before = outcomes.stream().filter((o) -> !o.ok() && o.endNanos() < gap[0]).count();
		long during = outcomes.stream()
			.filter((o) -> !o.ok() && o.endNanos() >= gap[0] && o.endNanos() <= recovered)
			.count();
		long after = outcomes.stream().filter((o) -> !o.ok() && o.endNanos() > recovered).count();
		return List.of(target.label(), Report.fmt(outcomes.size(), 0), Long.toString(before), Report.fmt(during, 0),
				Long.toString(after), Report.fmt((gap[1] - gap[0]) / 1e9, 2) + " s",
				(recovered == Long.MAX_VALUE) ? "never" : Report.fmt((recovered - gap[1]) / 1e6, 1) + " ms",
				Report.fmt(linesDuring, 0));
	}

	private List<String> reload(Target.Start start) throws IOException {
		Path rules = this.work.resolve("rules-" + start.key() + ".yaml");
		String[] versions = { "socketproxy:\n  allow:\n    GET: ['/.*']\n",
				"socketproxy:\n  allow:\n    GET: ['/.*']\n    HEAD: ['/_ping']\n" };
		Files.writeString(rules, versions[0]);
		Target target = Target.proxy(start.with("reload", List.of(Target.RULES_FILE + rules,
				"--socketproxy.rules-file-check-interval=500ms")), this.options, this.work, this.launched,
				this.backend);
		BenchmarkRun.log("rules file rewritten every second under load through " + target.key());
		int rewrites = 0;
		List<LoadLoop.Outcome> outcomes;
		try {
			Launched.sleep(Duration.ofSeconds(2));
			LoadLoop load = LoadLoop.start(target.port(), Backend.SMALL_PATH, LOAD_CONNECTIONS);
			try {
				long end = System.nanoTime() + RELOAD_LOAD.toNanos();
				while (System.nanoTime() < end) {
					Launched.sleep(Duration.ofSeconds(1));
					rewrites++;
					// In place, as an editor or a config tool writes: the proxy may read a half-written file.
					Files.writeString(rules, versions[rewrites % 2]);
				}
			}
			finally {
				outcomes = load.stop();
			}
			Launched.sleep(Duration.ofSeconds(1));
		}
		finally {
			Launched.stop(target.process());
		}
		String log = Files.readString(Target.output(this.work, target.key()));
		long failed = outcomes.stream().filter((outcome) -> !outcome.ok()).count();
		return List.of(target.label(), Report.fmt(outcomes.size(), 0), Long.toString(failed), Integer.toString(rewrites),
				Long.toString(count(log, "rules reloaded")), Long.toString(count(log, "rules reload refused")));
	}

	private static long count(String text, String what) {
		return text.lines().filter((line) -> line.contains(what)).count();
	}

	private static long lines(Path log) throws IOException {
		if (!Files.exists(log)) {
			return 0;
		}
		try (var stream = Files.lines(log, StandardCharsets.ISO_8859_1)) {
			return stream.count();
		}
	}

	private static Socket connect(Target target) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.port()), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** The status of the response head's first line, or -1. */
	private static int statusOf(Socket socket) {
		try {
			InputStream in = socket.getInputStream();
			byte[] line = in.readNBytes(12);
			return (line.length == 12) ? Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1)) : -1;
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// gone already
		}
	}

	private static String mib(long kib) {
		return Report.fmt(kib / 1024.0, 0) + " MiB";
	}

}
