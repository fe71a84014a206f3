package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * Debian's podman serving its Docker-compatible API ({@code podman system service}) on a
 * private socket, with its own storage, run and tmp directories, so it shares nothing with
 * another podman or with dockerd. Containers it runs must use {@code --network none}: no
 * network is set up for it.
 * <p>
 * Podman sets its containers' open-files and process limits above what this machine lets
 * runc set ({@code error setting rlimit ... operation not permitted}), so its
 * {@code containers.conf} here asks for lower ones; and it lets each exec session's conmon
 * linger 5 s instead of 5 minutes after the exec ended.
 */
public final class PodmanService implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private final Path dir;

	private final Process process;

	private PodmanService(Path dir, Process process) {
		this.dir = dir;
		this.process = process;
	}

	/** Starts the service in a fresh directory. */
	public static PodmanService start() {
		try {
			Path dir = Files.createTempDirectory(Path.of("/tmp"), "spp");
			Files.writeString(dir.resolve("containers.conf"), """
					[containers]
					default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
					[engine]
					exit_command_delay = 5
					""");
			List<String> command = podmanCommand(dir, "system", "service", "--time=0", "unix://" + dir.resolve("podman.sock"));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(dir.resolve("podman.log").toFile());
			builder.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
			PodmanService podman = new PodmanService(dir, builder.start());
			podman.awaitReady();
			return podman;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start podman (is Debian's podman installed?)", ex);
		}
	}

	/** The service's Unix socket, where it speaks the Docker API. */
	public Path socket() {
		return this.dir.resolve("podman.sock");
	}

	/** The docker CLI talking to podman directly (for setup and for checking its state). */
	public Command.Result docker(String... args) {
		return DockerDaemon.dockerAt("unix://" + socket(), null, args);
	}

	/** The podman CLI on this service's storage. */
	public Command.Result podman(String... args) {
		return Command.run(COMMAND_TIMEOUT, Map.of("CONTAINERS_CONF", this.dir.resolve("containers.conf").toString()),
				null, podmanCommand(this.dir, args));
	}

	/** Removes every container, then stops the service and removes its storage. */
	@Override
	public void close() {
		podman("rm", "--all", "--force", "--time", "0");
		Command.stop(this.process, Duration.ofSeconds(10));
		// unmounts the storage podman mounted below its root, then deletes it
		podman("system", "reset", "--force");
		Command.run(COMMAND_TIMEOUT, Map.of(), null, List.of("rm", "-rf", this.dir.toString()));
	}

	private static List<String> podmanCommand(Path dir, String... args) {
		List<String> command = new ArrayList<>(List.of("podman", "--root", dir.resolve("root").toString(), "--runroot",
				dir.resolve("run").toString(), "--tmpdir", dir.resolve("tmp").toString()));
		command.addAll(List.of(args));
		return command;
	}

	private void awaitReady() {
		Awaitility.await("podman's API on " + socket())
			.atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("podman exited with " + this.process.exitValue() + ": " + log());
				}
				return Files.exists(socket()) && docker("version", "--format", "{{.Server.Version}}").exitCode() == 0;
			});
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("podman.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
