package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real dockerd from Debian's docker.io on a private socket, isolated from any system
 * Docker (own data root, exec root and pid file, no bridge, no iptables), with a tiny
 * local image {@code mini:latest} (sh, cat, echo, sleep copied from the host) because no
 * registry is reachable. One daemon serves every test class of the JVM: as a JUnit
 * extension it lives in the root store and is stopped when the run ends.
 * <p>
 * Use {@code @ExtendWith(DockerDaemon.Extension.class)} and take a {@code DockerDaemon}
 * parameter in a constructor, {@code @BeforeAll} or test method.
 */
public final class DockerDaemon implements AutoCloseable {

	/** The image every end-to-end test runs. */
	public static final String IMAGE = "mini:latest";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Path dir;

	private final Process process;

	private DockerDaemon(Path dir, Process process) {
		this.dir = dir;
		this.process = process;
	}

	/** Starts dockerd in a fresh directory and loads {@code mini:latest}. */
	public static DockerDaemon start() {
		try {
			// Short path: containerd's sockets live below the exec root and must fit in sun_path.
			Path dir = Files.createTempDirectory(Path.of("/tmp"), "spd");
			Process process = new ProcessBuilder("dockerd", "--host", "unix://" + dir.resolve("docker.sock"),
					"--data-root", dir.resolve("data").toString(), "--exec-root", dir.resolve("exec").toString(),
					"--pidfile", dir.resolve("dockerd.pid").toString(), "--iptables=false", "--ip-masq=false",
					"--ip-forward=false", "--bridge=none", "--userland-proxy=false",
					"--default-ulimit", "nofile=20000:20000")
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("dockerd.log").toFile())
				.start();
			DockerDaemon daemon = new DockerDaemon(dir, process);
			daemon.awaitReady();
			daemon.loadMiniImage();
			return daemon;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start dockerd (is Debian's docker.io installed?)", ex);
		}
	}

	/** The daemon's own Unix socket: what the proxy forwards to. */
	public Path socket() {
		return this.dir.resolve("docker.sock");
	}

	/** A directory for the test's own files, removed with the daemon. */
	public Path workDir() {
		return this.dir;
	}

	/** The docker CLI talking to the daemon directly (for setup and for checking its state). */
	public Command.Result docker(String... args) {
		return dockerAt("unix://" + socket(), null, args);
	}

	/** The docker CLI talking to {@code host} (e.g. {@code tcp://127.0.0.1:PORT}, the proxy). */
	public static Command.Result dockerAt(String host, byte[] stdin, String... args) {
		return Command.run(COMMAND_TIMEOUT, cliEnvironment(host), stdin, cliCommand(args));
	}

	/** A long-running docker CLI command ({@code events}, {@code logs -f}) talking to {@code host}. */
	public static Command.Running startDockerAt(String host, String... args) {
		return Command.start(cliEnvironment(host), cliCommand(args));
	}

	/** The environment of a docker client (CLI, docker-compose) talking to {@code host}, with a config dir of its own. */
	public static Map<String, String> cliEnvironment(String host) {
		return Map.of("DOCKER_HOST", host, "DOCKER_CONFIG", "/tmp/socket-proxy-docker-config");
	}

	private static List<String> cliCommand(String... args) {
		List<String> command = new ArrayList<>();
		command.add("docker");
		command.addAll(List.of(args));
		return command;
	}

	/**
	 * Runs a script with Debian's Python and its Docker SDK ({@code python3-docker});
	 * the script reads its arguments from {@code sys.argv}.
	 */
	public static Command.Result python(String script, String... args) {
		List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
		command.addAll(List.of(args));
		return Command.run(COMMAND_TIMEOUT, Map.of(), null, command);
	}

	/** Removes every container, so tests start from a known state. */
	public void removeAllContainers() {
		remove(List.of("rm", "-f"), words("ps", "-aq"));
	}

	/** Removes every volume (remove the containers using them first). */
	public void removeAllVolumes() {
		remove(List.of("volume", "rm", "-f"), volumeNames());
	}

	/** The names of the volumes the daemon has, asked directly. */
	public List<String> volumeNames() {
		return words("volume", "ls", "-q");
	}

	private void remove(List<String> command, List<String> ids) {
		if (!ids.isEmpty()) {
			List<String> args = new ArrayList<>(command);
			args.addAll(ids);
			docker(args.toArray(String[]::new));
		}
	}

	/** What a docker command prints, split at white space: ids or names. */
	private List<String> words(String... args) {
		String output = docker(args).stdout().trim();
		return output.isEmpty() ? List.of() : List.of(output.split("\\s+"));
	}

	@Override
	public void close() {
		Command.stop(this.process, Duration.ofSeconds(20));
		unmountBelow(this.dir);
		Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("rm", "-rf", this.dir.toString()));
	}

	private void awaitReady() {
		await("dockerd ready").atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.failFast(() -> assertThat(this.process.isAlive()).as(() -> "dockerd running; log: " + log()).isTrue())
			.untilAsserted(() -> assertThat(Files.exists(socket())
					&& docker("version", "--format", "{{.Server.Version}}").exitCode() == 0)
				.as(() -> "dockerd answering; log: " + log())
				.isTrue());
	}

	/** Tests reuse the mini image's tarball, {@code rootfs.tar} in the work directory. */
	private void loadMiniImage() throws IOException {
		importImage(IMAGE, List.of("/bin/sh", "/bin/cat", "/bin/echo", "/bin/sleep"), this.dir.resolve("rootfs"));
	}

	/**
	 * Builds a local image {@code name} from host binaries and the libraries they link
	 * ({@code CMD} is {@code /bin/sh}), since no registry is reachable.
	 */
	public void importImage(String name, List<String> binaries) throws IOException {
		importImage(name, binaries, Files.createTempDirectory(this.dir, "rootfs"));
	}

	private void importImage(String name, List<String> binaries, Path rootfs) throws IOException {
		Files.createDirectories(rootfs.resolve("bin"));
		Files.createDirectories(rootfs.resolve("tmp"));
		for (String binary : binaries) {
			copyInto(rootfs, Path.of(binary));
			Matcher libraries = Pattern.compile("(/\\S+)").matcher(
					Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("ldd", binary)).stdout());
			while (libraries.find()) {
				copyInto(rootfs, Path.of(libraries.group(1)));
			}
		}
		Path tar = rootfs.resolveSibling(rootfs.getFileName() + ".tar");
		require(Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")));
		require(docker("import", "-c", "CMD [\"/bin/sh\"]", tar.toString(), name));
	}

	private static void copyInto(Path rootfs, Path file) throws IOException {
		Path target = rootfs.resolve(file.toString().substring(1));
		Files.createDirectories(target.getParent());
		Files.copy(file.toRealPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		target.toFile().setExecutable(true);
	}

	private static void unmountBelow(Path dir) {
		String mounts = Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("cat", "/proc/mounts")).stdout();
		mounts.lines()
			.map((line) -> line.split(" ")[1])
			.filter((mountPoint) -> mountPoint.startsWith(dir.toString()))
			.sorted((a, b) -> b.length() - a.length())
			.forEach((mountPoint) -> Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("umount", "-l", mountPoint)));
	}

	private static void require(Command.Result result) {
		if (result.exitCode() != 0) {
			throw new IllegalStateException("setup command failed: " + result);
		}
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("dockerd.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/** Resolves {@code DockerDaemon} parameters with the one daemon of this test run. */
	public static final class Extension implements ParameterResolver {

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
			return parameter.getParameter().getType() == DockerDaemon.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
			return context.getRoot()
				.getStore(ExtensionContext.Namespace.create(DockerDaemon.class))
				.getOrComputeIfAbsent("daemon", (key) -> new Resource(DockerDaemon.start()), Resource.class)
				.daemon();
		}

	}

	private record Resource(DockerDaemon daemon) implements ExtensionContext.Store.CloseableResource {

		@Override
		public void close() {
			this.daemon.close();
		}

	}

}
