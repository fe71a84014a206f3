package dev.socketproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.socketproxy.health.HealthCheckCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile cannot be built here (no registry), so this pins what docs/operations.md
 * promises about it and keeps it in step with the scripts scripts/verify-image runs.
 */
class DockerfileTest {

	private final List<String> lines = read("Dockerfile");

	@Test
	void buildsWithTheWrapperAndTheVerifiedScripts() {
		assertThat(this.lines).anyMatch((line) -> line.contains("scripts/image/maven") && line.contains("package"))
			.anyMatch((line) -> line.contains("scripts/image/build-runtime \"$JAVA_HOME\" target/socket-proxy.jar /out"))
			.anyMatch((line) -> line.contains("scripts/image/train-aot /out/runtime /out/app"))
			.anyMatch((line) -> line.contains("cp scripts/image/jvm.options /out/app/jvm.options"));
	}

	/** Docker's built-in BuildKit builds it: a {@code # syntax=} line would pull a frontend image. */
	@Test
	void pullsNoFrontendAndTakesTheMavenSecrets() {
		assertThat(this.lines).noneMatch((line) -> line.toLowerCase().startsWith("# syntax"))
			.anyMatch((line) -> line.contains("--mount=type=secret,id=maven-settings")
					&& line.contains("--mount=type=secret,id=ca-cert"));
		assertThat(read("scripts/image/maven")).contains("exec ./mvnw \"${args[@]}\" \"$@\"");
	}

	/** The docker CLI and Traefik negotiate the API version with HEAD /_ping first. */
	@Test
	void headerExampleAllowsThePing() {
		assertThat(this.lines).anyMatch((line) -> line.contains("-allowHEAD=/_ping"))
			.anyMatch((line) -> line.contains("-allowGET='/_ping|"));
	}

	@Test
	void runsAsNonRootWithTheHealthCheckAndTheTunedJvm() {
		assertThat(this.lines).contains("USER 65532:65532", "EXPOSE 2375", "ENV SP_ALLOWHEALTHCHECK=true")
			.anyMatch((line) -> line.startsWith("ENTRYPOINT [\"/opt/java/bin/java\", \"@/app/jvm.options\"")
					&& line.contains("\"-jar\", \"/app/socket-proxy.jar\"]"))
			.anyMatch((line) -> line.contains("CMD [\"/opt/java/bin/java\"")
					&& line.endsWith("\"-jar\", \"/app/socket-proxy.jar\", \"" + HealthCheckCommand.ARGUMENT + "\"]"));
		assertThat(read("scripts/image/jvm.options")).contains("-XX:+UseSerialGC", "-Xmx64m", "-Xmn8m", "-Xss256k",
				"-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=48m", "-XX:MaxDirectMemorySize=32m",
				"-XX:TrimNativeHeapInterval=2000", "-XX:CompileCommand=quiet", "-XX:CompileCommand=MemLimit,*.*,16M");
	}

	private static List<String> read(String file) {
		try {
			return Files.readAllLines(Path.of(file));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

}
