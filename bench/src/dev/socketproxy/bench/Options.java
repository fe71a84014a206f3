package dev.socketproxy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one harness run measures and for how long. The quick mode (default) keeps the
 * whole run near ten minutes on a 2-core machine; {@code --full} runs longer and more
 * rounds for steadier medians. The proxies' warm-up is long on purpose: on a busy 2-core
 * machine the JIT needs a minute or two of load before socket-proxy reaches steady state.
 */
record Options(Path jar, Path results, int rounds, int seconds, int warmupSeconds, int connections, int threads,
		int startupRuns, int events, int blobMegabytes, Set<String> skip, boolean jfr, List<String> proxyJvmFlags,
		List<String> proxyArgs, List<Variant> variants, Path imageJdk, Path baselineJar, boolean reliability,
		int soakSeconds, List<Integer> streams, int idleConnections) {

	/**
	 * The JVM flags the container image ships, read from the argument file the image passes
	 * to {@code java @/app/jvm.options} (bench/run starts the harness in the repository's
	 * root), so that the two cannot drift apart: one flag a line, {@code #} lines are
	 * comments.
	 */
	static final List<String> SHIPPED_JVM_FLAGS = shippedJvmFlags(Path.of("scripts/image/jvm.options"));

	/**
	 * The image's JVM flags that Java 17, which runs the harness and the fat-jar rows, knows:
	 * all but the compilations' memory limit, which came with JDK 22 (Java 17 would print a
	 * parse error for it and go on without).
	 */
	static final List<String> JAVA17_JVM_FLAGS = SHIPPED_JVM_FLAGS.stream()
		.filter((flag) -> !flag.startsWith("-XX:CompileCommand=MemLimit"))
		.toList();

	/** An environment variable in a variant, e.g. {@code MALLOC_ARENA_MAX=2}. */
	private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]*=.*");

	/** The JDK the image is built from (Dockerfile), for what the image runs: its startup row and load target. */
	static final Path IMAGE_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

	static final Set<String> PARTS = Set.of("startup", "load", "events", "body", "jmh", "default-flags", "big");

	/**
	 * One more socket-proxy target with the image's JVM flags plus {@code flags} (tokens
	 * starting with {@code -X} or {@code -D}), {@code environment} (tokens like
	 * {@code MALLOC_ARENA_MAX=2}) and {@code args}: an A/B test of a tuning idea against the
	 * unchanged proxy in the same run.
	 */
	record Variant(String name, List<String> flags, Map<String, String> environment, List<String> args) {

		static Variant parse(String spec) {
			int colon = spec.indexOf(':');
			if (colon < 1) {
				throw new IllegalArgumentException("--variant=NAME:ARGS, e.g. --variant=io2:-Dreactor.netty.ioWorkerCount=2");
			}
			List<String> flags = new ArrayList<>();
			Map<String, String> environment = new LinkedHashMap<>();
			List<String> args = new ArrayList<>();
			for (String token : spec.substring(colon + 1).trim().split("\\s+")) {
				if (token.startsWith("-X") || token.startsWith("-D")) {
					flags.add(token);
				}
				else if (ENVIRONMENT_VARIABLE.matcher(token).matches()) {
					environment.put(token.substring(0, token.indexOf('=')), token.substring(token.indexOf('=') + 1));
				}
				else if (!token.isEmpty()) {
					args.add(token);
				}
			}
			return new Variant(spec.substring(0, colon), List.copyOf(flags), Map.copyOf(environment),
					List.copyOf(args));
		}

		/** The flags, environment and arguments as given, for the report. */
		String describe() {
			List<String> parts = new ArrayList<>();
			this.environment.forEach((name, value) -> parts.add(name + "=" + value));
			parts.addAll(this.flags);
			parts.addAll(this.args);
			return String.join(" ", parts);
		}

	}

	static Options parse(String[] args) {
		Path jar = Path.of("target/socket-proxy.jar");
		Path results = Path.of("bench/results");
		int rounds = 3;
		int seconds = 8;
		int warmup = 30;
		int connections = 32;
		int threads = 2;
		int startupRuns = 3;
		int events = 50;
		int blob = 100;
		Set<String> skip = Set.of();
		boolean jfr = false;
		List<String> jvm = new ArrayList<>();
		List<String> proxyArgs = new ArrayList<>();
		List<Variant> variants = new ArrayList<>();
		Path imageJdk = IMAGE_JDK;
		Path baselineJar = null;
		boolean reliability = false;
		int soakSeconds = 600;
		List<Integer> streams = List.of(1000, 4000);
		int idleConnections = 1000;
		for (String arg : args) {
			String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
			if (arg.equals("--full")) {
				rounds = 5;
				seconds = 15;
				warmup = 60;
				startupRuns = 5;
				events = 200;
			}
			else if (arg.equals("--quick")) {
				// the defaults
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--seconds=")) {
				seconds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--warmup=")) {
				warmup = Integer.parseInt(value);
			}
			else if (arg.startsWith("--connections=")) {
				connections = Integer.parseInt(value);
			}
			else if (arg.startsWith("--startup-runs=")) {
				startupRuns = Integer.parseInt(value);
			}
			else if (arg.startsWith("--threads=")) {
				threads = Integer.parseInt(value);
			}
			else if (arg.startsWith("--skip=")) {
				skip = Set.copyOf(Arrays.asList(value.split(",")));
				for (String part : skip) {
					if (!PARTS.contains(part)) {
						throw new IllegalArgumentException("--skip: unknown part " + part + "; parts are " + PARTS);
					}
				}
			}
			else if (arg.equals("--jfr")) {
				jfr = true;
			}
			else if (arg.startsWith("--proxy-jvm=")) {
				jvm.addAll(Arrays.asList(value.trim().split("\\s+")));
			}
			else if (arg.startsWith("--proxy-arg=")) {
				proxyArgs.add(value);
			}
			else if (arg.startsWith("--variant=")) {
				variants.add(Variant.parse(value));
			}
			else if (arg.startsWith("--jar=")) {
				jar = Path.of(value);
			}
			else if (arg.startsWith("--results=")) {
				results = Path.of(value);
			}
			else if (arg.startsWith("--image-jdk=")) {
				imageJdk = Path.of(value);
			}
			else if (arg.startsWith("--baseline-jar=")) {
				baselineJar = Path.of(value).toAbsolutePath();
				if (!Files.isRegularFile(baselineJar)) {
					throw new IllegalArgumentException("--baseline-jar: no such file " + baselineJar);
				}
			}
			else if (arg.equals("--reliability")) {
				reliability = true;
			}
			else if (arg.startsWith("--soak-seconds=")) {
				soakSeconds = Integer.parseInt(value);
			}
			else if (arg.startsWith("--streams=")) {
				streams = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
			}
			else if (arg.startsWith("--idle-connections=")) {
				idleConnections = Integer.parseInt(value);
			}
			else {
				throw new IllegalArgumentException("unknown option " + arg + "; the options are listed at the top of bench/run");
			}
		}
		if (rounds < 1 || rounds > 20 || seconds < 1 || seconds > 120 || connections < 1 || connections > 1000) {
			throw new IllegalArgumentException("rounds 1..20, seconds 1..120, connections 1..1000");
		}
		if (soakSeconds < 10 || soakSeconds > 3600 || idleConnections < 1 || idleConnections > 8000
				|| streams.stream().anyMatch((n) -> n < 1 || n > 8000)) {
			throw new IllegalArgumentException("soak-seconds 10..3600, streams and idle-connections 1..8000");
		}
		return new Options(jar, results, rounds, seconds, warmup, connections, threads, startupRuns, events, blob, skip,
				jfr, List.copyOf(jvm), List.copyOf(proxyArgs), List.copyOf(variants), imageJdk, baselineJar, reliability,
				soakSeconds, streams, idleConnections);
	}

	private static List<String> shippedJvmFlags(Path file) {
		try {
			return Files.readAllLines(file)
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("the image's JVM options (run the harness from the repository's root)", ex);
		}
	}

	/** {@code --reliability} runs the reliability rows only, none of the other parts. */
	boolean runs(String part) {
		return !this.reliability && !this.skip.contains(part);
	}

}
