package dev.socketproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of reaching the backend over TCP on 127.0.0.1: nginx itself, a baseline in
 * front of its Unix socket, or socket-proxy. {@code process} is what CPU and memory are
 * measured on.
 */
record Target(String key, String label, boolean baseline, int port, Process process) {

	/** The path rule that both HAProxy and socket-proxy apply to GET. */
	static final String GET_RULE = "/.*";

	static final String RULES_FILE = "--socketproxy.rules-file=";

	static Target direct(Backend backend) {
		return new Target("direct", "nginx direct (TCP)", true, backend.port, backend.process);
	}

	static Target socat(Path work, Launched launched, Backend backend) throws IOException {
		int port = Ports.free();
		Process process = launched.start(List.of("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr,backlog=512",
				"UNIX-CONNECT:" + backend.socket), work.resolve("socat.out"));
		Http.awaitOk("socat", process, port, Backend.SMALL_PATH);
		return new Target("socat", "socat TCP->Unix", true, port, process);
	}

	/**
	 * HAProxy as an allowlisting proxy like Tecnativa's: client must be 127.0.0.1, GET only,
	 * path must match the same regex as socket-proxy's rule, keep-alive to the socket.
	 */
	static Target haproxy(Path work, Launched launched, Backend backend) throws IOException {
		int port = Ports.free();
		String conf = """
				global
				  maxconn 9000
				defaults
				  mode http
				  timeout connect 5s
				  timeout client 120s
				  timeout server 120s
				  option http-keep-alive
				  http-reuse always
				frontend proxy
				  bind 127.0.0.1:%d
				  http-request deny deny_status 403 unless { src 127.0.0.1/32 }
				  http-request deny deny_status 405 unless METH_GET
				  http-request deny deny_status 403 unless { path_reg ^%s$ }
				  default_backend socket
				backend socket
				  server backend %s
				""".formatted(port, GET_RULE, backend.socket);
		Path file = work.resolve("haproxy.cfg");
		Files.writeString(file, conf);
		Process process = launched.start(List.of("haproxy", "-db", "-f", file.toString()), work.resolve("haproxy.out"));
		Http.awaitOk("haproxy", process, port, Backend.SMALL_PATH);
		return new Target("haproxy", "HAProxy GET allowlist", true, port, process);
	}

	/** The command line that starts socket-proxy with {@code java} and {@code jvmFlags} in front of the backend. */
	static List<String> proxyCommand(Path java, Options options, Path jar, List<String> jvmFlags, List<String> args,
			Path socket, int port) {
		List<String> command = new ArrayList<>();
		command.add(java.toString());
		command.addAll(jvmFlags);
		command.addAll(options.proxyJvmFlags());
		command.add("-jar");
		command.add(jar.toString());
		command.add("-socketpath=" + socket);
		command.add("-proxyport=" + port);
		// A rules file holds all rules: the proxy refuses rules beside it.
		if (args.stream().noneMatch((arg) -> arg.startsWith(RULES_FILE))) {
			command.add("-allowGET=" + GET_RULE);
		}
		command.addAll(options.proxyArgs());
		command.addAll(args);
		return command;
	}

	/**
	 * How one socket-proxy target starts: as {@code launch} says, plus {@code jvmFlags},
	 * {@code environment} and {@code args}. Kept, so that a reliability row can start the
	 * same proxy again with a setting of its own.
	 */
	record Start(String key, String label, Measurements.Launch launch, List<String> jvmFlags,
			Map<String, String> environment, List<String> args) {

		/** The same proxy under another key, with {@code more} arguments. */
		Start with(String suffix, List<String> more) {
			List<String> all = new ArrayList<>(this.args);
			all.addAll(more);
			return new Start(this.key + "-" + suffix, this.label, this.launch, this.jvmFlags, this.environment,
					List.copyOf(all));
		}

	}

	/** socket-proxy started as {@code start} says, its output in {@code work/KEY.out}. */
	static Target proxy(Start start, Options options, Path work, Launched launched, Backend backend)
			throws IOException {
		int port = Ports.free();
		List<String> flags = new ArrayList<>(start.jvmFlags());
		if (options.jfr()) {
			Path recording = options.results().resolve("raw").resolve(start.key() + ".jfr").toAbsolutePath();
			flags.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile");
		}
		Process process = launched.start(start.launch().command(options, flags, start.args(), backend.socket, port),
				start.environment(), output(work, start.key()));
		Http.awaitOk(start.key(), process, port, Backend.SMALL_PATH);
		return new Target(start.key(), start.label(), false, port, process);
	}

	/** Where the output of the target with this key goes. */
	static Path output(Path work, String key) {
		return work.resolve(key + ".out");
	}

	long pid() {
		return this.process.pid();
	}

}
