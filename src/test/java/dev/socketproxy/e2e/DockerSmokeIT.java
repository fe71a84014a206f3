package dev.socketproxy.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/** The docker CLI against a real dockerd through the proxy: read-only calls pass, the rest is refused. */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerSmokeIT {

	private DockerDaemon docker;

	private RunningProxy proxy;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(), "-allowHEAD=/_ping",
				"-allowGET=/_ping|/v1\\.\\d+/(version|info|containers/json|images/json)");
	}

	@AfterAll
	void stop() {
		this.proxy.close();
	}

	@Test
	void versionAndPsPassThrough() {
		Command.Result version = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "version", "--format", "{{.Server.Version}}");
		Command.Result ps = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "ps", "-a", "--format", "{{.ID}}");

		assertThat(version.exitCode()).as(version.toString()).isZero();
		assertThat(version.stdout().trim()).isEqualTo(this.docker.docker("version", "--format", "{{.Server.Version}}").stdout().trim());
		assertThat(ps.exitCode()).as(ps.toString()).isZero();
	}

	@Test
	void containerCreateIsRefusedAndNeverReachesTheEngine() {
		Command.Result create = DockerDaemon.dockerAt(this.proxy.dockerHost(), null, "create", "--name", "refused", DockerDaemon.IMAGE);

		assertThat(create.exitCode()).isNotZero();
		assertThat(create.stderr()).contains("Method Not Allowed");
		assertThat(this.docker.docker("ps", "-a", "--filter", "name=refused", "--format", "{{.Names}}").stdout()).isBlank();
	}

}
