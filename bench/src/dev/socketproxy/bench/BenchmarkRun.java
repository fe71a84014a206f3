package dev.socketproxy.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmark harness behind {@code bench/run}: starts nginx on a Unix socket, the
 * baselines (nginx over TCP, socat, HAProxy) and socket-proxy as the image runs it (its
 * JDK 25 runtime, AOT cache and JVM flags; the image's flags on Java 17 where that JDK is
 * missing) and with default JVM flags, loads them all with wrk in alternating rounds, and
 * writes the medians and ratios to {@code bench/results/}. With {@code --reliability} it
 * runs the {@link Reliability} rows instead; with {@code --baseline-jar} another build is
 * one more target, and every ratio table compares against it too.
 */
public final class BenchmarkRun {

	private static final String SHIPPED_ON_JAVA17 = "image JVM flags, fat jar";

	private static final String STARTUP_DEFAULT = "default JVM flags, fat jar";

	private static final String STARTUP_CDS = "image JVM flags, extracted jar + CDS archive";

	private BenchmarkRun() {
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		Files.createDirectories(options.results().resolve("raw"));
		Path work = Files.createTempDirectory("socket-proxy-bench");
		Results results = new Results();
		describeMachine(results, options);
		Instant began = Instant.now();
		try (Launched launched = new Launched(); EventSource events = new EventSource(work.resolve("events.sock"))) {
			Backend backend = Backend.start(work, launched, work.resolve("events.sock"), options.blobMegabytes());
			Optional<Measurements.Launch> image = Measurements.image(options, options.jar(), "image", work, launched);
			if (options.runs("startup")) {
				measureStartup(options, backend, work, launched, results, image);
			}
			Measurements.Launch shipped = image
				.orElse(Measurements.Launch.of(SHIPPED_ON_JAVA17, options.jar(), Options.JAVA17_JVM_FLAGS));
			String shippedLabel = image.isPresent() ? "socket-proxy, the image" : "socket-proxy, image JVM flags (Java 17)";
			results.machine.put(shippedLabel, shipped.label());
			List<Target.Start> starts = new ArrayList<>();
			starts.add(new Target.Start("proxy-shipped", shippedLabel, shipped, List.of(), Map.of(), List.of()));
			if (options.baselineJar() != null) {
				starts.add(new Target.Start("proxy-before", shippedLabel + ", before: " + options.baselineJar().getFileName(),
						baselineLaunch(options, work, launched, image.isPresent()), List.of(), Map.of(), List.of()));
				results.machine.put("before (--baseline-jar)", options.baselineJar().toString());
				results.before = "proxy-before";
			}
			if (options.runs("default-flags")) {
				starts.add(new Target.Start("proxy-default", "socket-proxy, default JVM flags (Java 17)",
						Measurements.Launch.of(STARTUP_DEFAULT, options.jar(), List.of()), List.of(), Map.of(),
						List.of()));
			}
			for (Options.Variant variant : options.variants()) {
				starts.add(new Target.Start("variant-" + variant.name(), shippedLabel + " + " + variant.name(), shipped,
						variant.flags(), variant.environment(), variant.args()));
				results.machine.put("variant " + variant.name(), variant.describe());
			}
			List<Target> targets = new ArrayList<>();
			if (!options.reliability()) {
				// No proxy between client and nginx: nothing to measure in the reliability rows.
				targets.add(Target.direct(backend));
			}
			targets.add(Target.socat(work, launched, backend));
			targets.add(Target.haproxy(work, launched, backend));
			for (Target.Start start : starts) {
				targets.add(Target.proxy(start, options, work, launched, backend));
			}
			targets.forEach(results::addTarget);
			Launched.sleep(Duration.ofSeconds(2));
			for (Target target : targets) {
				if (!target.baseline()) {
					results.idleRssKib.put(target.key(), ProcStats.rssKib(target.pid()));
				}
			}
			if (options.runs("load")) {
				measureLoad(options, targets, results);
			}
			if (options.runs("events")) {
				for (Target target : targets) {
					log("event stream through " + target.key());
					results.eventMicros.put(target.key(), Measurements.eventLatenciesMicros(target, options.events()));
				}
			}
			if (options.runs("body")) {
				long bytes = options.blobMegabytes() * (1L << 20);
				for (int round = 0; round < 3; round++) {
					for (Target target : targets) {
						results.bodyMegabytesPerSecond.computeIfAbsent(target.key(), (k) -> new ArrayList<>())
							.add(Measurements.bodyMegabytesPerSecond(target, bytes));
					}
				}
				log("large bodies done");
			}
			if (options.reliability()) {
				new Reliability(options, work, launched, backend, events, results).run(targets, starts);
			}
			for (Target target : targets) {
				if (!target.baseline()) {
					results.peakRssKib.put(target.key(), ProcStats.peakRssKib(target.pid()));
				}
			}
		}
		finally {
			keepLogs(work, options.results().resolve("raw"));
			deleteTree(work);
		}
		if (options.runs("jmh")) {
			measureRuleEngine(results);
		}
		results.machine.put("load average after", Files.readString(Path.of("/proc/loadavg")).trim());
		results.machine.put("harness time", Duration.between(began, Instant.now()).toSeconds() + " s");
		Report report = new Report(results, options);
		report.write();
		log("wrote " + options.results().resolve(report.fileName()));
		System.out.println(report.markdown());
	}

	/**
	 * {@code --baseline-jar} started as ours is: from its own image runtime and AOT cache
	 * when ours runs from one (an AOT cache belongs to one jar), else with the same flags.
	 */
	private static Measurements.Launch baselineLaunch(Options options, Path work, Launched launched, boolean image)
			throws IOException {
		if (image) {
			// Extraction names the application jar after the jar, and the image's scripts start socket-proxy.jar.
			Path jar = Files.createDirectories(work.resolve("before-jar")).resolve("socket-proxy.jar");
			Files.copy(options.baselineJar(), jar, StandardCopyOption.REPLACE_EXISTING);
			Optional<Measurements.Launch> before = Measurements.image(options, jar, "image-before", work, launched);
			if (before.isPresent()) {
				return before.get();
			}
		}
		return Measurements.Launch.of(SHIPPED_ON_JAVA17, options.baselineJar(), Options.JAVA17_JVM_FLAGS);
	}

	private static void measureStartup(Options options, Backend backend, Path work, Launched launched,
			Results results, Optional<Measurements.Launch> image) throws IOException {
		List<String> cdsFlags = new ArrayList<>(Options.JAVA17_JVM_FLAGS);
		cdsFlags.addAll(Measurements.trainCdsArchive(options, work, backend.socket, launched));
		List<Measurements.Launch> launches = new ArrayList<>(List.of(
				Measurements.Launch.of(SHIPPED_ON_JAVA17, options.jar(), Options.JAVA17_JVM_FLAGS),
				Measurements.Launch.of(STARTUP_DEFAULT, options.jar(), List.of()),
				Measurements.Launch.of(STARTUP_CDS, work.resolve("extracted").resolve("socket-proxy.jar"), cdsFlags)));
		image.ifPresent(launches::add);
		for (int run = 0; run < options.startupRuns(); run++) {
			for (Measurements.Launch launch : launches) {
				double millis = Measurements.startupMillis(options, launch, backend.socket, work.resolve("startup.out"),
						launched);
				log("startup " + launch.label() + ": " + Report.fmt(millis, 0) + " ms");
				results.startupMillis.computeIfAbsent(launch.label(), (k) -> new ArrayList<>()).add(millis);
			}
		}
	}

	private static void measureLoad(Options options, List<Target> targets, Results results) throws IOException {
		List<String> scenarios = Results.SCENARIO_ORDER.stream()
			.filter((scenario) -> options.runs("big") || Results.SCENARIOS.get(scenario).equals(Backend.SMALL_PATH))
			.toList();
		for (Target target : targets) {
			int warmup = target.baseline() ? 2 : options.warmupSeconds();
			log("warm-up " + target.key() + " " + warmup + " s");
			for (String scenario : scenarios) {
				Wrk.run(target, Results.SCENARIOS.get(scenario), options, warmup);
			}
		}
		try (PrintWriter csv = new PrintWriter(
				Files.newBufferedWriter(options.results().resolve("raw").resolve("runs.csv")))) {
			csv.println("round,scenario,target,rps,p50_us,p99_us,requests,errors,cpu_us_per_request,rss_kib");
			List<Target> order = new ArrayList<>(targets);
			for (int round = 1; round <= options.rounds(); round++) {
				for (String scenario : scenarios) {
					for (Target target : order) {
						Wrk.Run run = Wrk.run(target, Results.SCENARIOS.get(scenario), options, options.seconds());
						results.addRun(scenario, target.key(), run);
						csv.printf(Locale.ROOT, "%d,%s,%s,%.1f,%.1f,%.1f,%d,%d,%.2f,%d%n", round, scenario, target.key(),
								run.requestsPerSecond(), run.p50Micros(), run.p99Micros(), run.requests(), run.errors(),
								run.cpuMicrosPerRequest(), run.rssKib());
						log("round " + round + " " + scenario + " " + target.key() + ": "
								+ Report.fmt(run.requestsPerSecond(), 0) + " req/s, p99 "
								+ Report.fmt(run.p99Micros(), 0) + " µs, " + Report.fmt(run.cpuMicrosPerRequest(), 1)
								+ " µs CPU/req, errors " + run.errors());
					}
				}
				// Alternate: the next round starts with the next target.
				Collections.rotate(order, -1);
			}
		}
	}

	private static void measureRuleEngine(Results results) throws RunnerException {
		log("JMH: MethodRules.evaluate");
		for (RunResult run : new Runner(new OptionsBuilder().include(MethodRulesBenchmark.class.getName()).build())
			.run()) {
			String benchmark = run.getParams().getBenchmark();
			String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			results.ruleEngineNanos.put(name + "," + run.getParams().getParam("rules"),
					new double[] { run.getPrimaryResult().getScore(), run.getPrimaryResult().getScoreError() });
		}
	}

	private static void describeMachine(Results results, Options options) throws IOException {
		String cpu = Files.readAllLines(Path.of("/proc/cpuinfo"))
			.stream()
			.filter((line) -> line.startsWith("model name"))
			.map((line) -> line.substring(line.indexOf(':') + 1).trim())
			.findFirst()
			.orElse("unknown");
		String memory = Files.readAllLines(Path.of("/proc/meminfo"))
			.stream()
			.filter((line) -> line.startsWith("MemTotal"))
			.map((line) -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GiB")
			.findFirst()
			.orElse("unknown");
		results.machine.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
		results.machine.put("CPU", cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores");
		results.machine.put("memory", memory);
		results.machine.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
		results.machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		results.machine.put("image JVM flags (scripts/image/jvm.options)", String.join(" ", Options.SHIPPED_JVM_FLAGS));
		if (!options.proxyJvmFlags().isEmpty() || !options.proxyArgs().isEmpty()) {
			results.machine.put("extra proxy JVM flags / arguments",
					String.join(" ", options.proxyJvmFlags()) + " / " + String.join(" ", options.proxyArgs()));
		}
		results.machine.put("load average before", Files.readString(Path.of("/proc/loadavg")).trim());
	}

	/** The output of every process, for when a number looks wrong. */
	private static void keepLogs(Path work, Path raw) throws IOException {
		try (Stream<Path> files = Files.list(work)) {
			for (Path log : files.filter((f) -> f.toString().endsWith(".out") || f.toString().endsWith(".log")).toList()) {
				Files.copy(log, raw.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	static void log(String message) {
		System.out.println("[bench " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
	}

}
