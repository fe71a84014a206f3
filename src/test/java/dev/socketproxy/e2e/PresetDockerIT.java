package dev.socketproxy.e2e;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** A Tecnativa compose setup (defaults plus CONTAINERS=1) with the real docker CLI: ps works, run is refused. */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresetDockerIT {

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.proxy = RunningProxy.start(Map.of("CONTAINERS", "1", "SOCKET_PATH", docker.socket().toString()),
				"-preset=tecnativa", "-listenip=127.0.0.1");
	}

	@AfterAll
	void stop() {
		this.proxy.close();
	}

	@Test
	void psAndVersionPass() {
		this.docker.docker("create", "--name", "listed", DockerDaemon.IMAGE);
		try {
			Command.Result ps = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "ps", "-a", "--format", "{{.Names}}");
			Command.Result version = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "version", "--format",
					"{{.Server.Version}}");

			assertThat(ps.exitCode()).as(ps.toString()).isZero();
			assertThat(ps.stdout().lines()).contains("listed");
			assertThat(version.exitCode()).as(version.toString()).isZero();
		}
		finally {
			this.docker.removeAllContainers();
		}
	}

	@Test
	void runIsRefusedAndNeverReachesTheEngine() {
		Command.Result run = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "run", "--rm", "--name", "refused",
				DockerDaemon.IMAGE, "true");

		assertThat(run.exitCode()).isNotZero();
		assertThat(run.stderr()).contains("Method Not Allowed");
		assertThat(this.docker.docker("ps", "-a", "--filter", "name=refused", "--format", "{{.Names}}").stdout()).isBlank();
	}

}
