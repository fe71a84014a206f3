package dev.socketproxy.e2e;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tenants on one dockerd, each through a proxy of its own with {@code owner} set, with
 * the docker CLI: each runs, lists, execs, logs and removes its own containers, and gets
 * {@code 403 not owned} or an empty list for the other's, by name and by ID; networks and
 * volumes it creates carry its owner label, and {@code docker volume ls} shows its own only;
 * and a name the other tenant took is still a conflict.
 */
@ExtendWith(DockerDaemon.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerScopeDockerIT {

	private static final String OWNER_LABEL = "socket-proxy.owner";

	private DockerDaemon docker;

	private RunningProxy tenantA;

	private RunningProxy tenantB;

	@BeforeAll
	void start(DockerDaemon docker) {
		this.docker = docker;
		this.tenantA = tenant("tenant-a");
		this.tenantB = tenant("tenant-b");
	}

	private RunningProxy tenant(String owner) {
		return RunningProxy.start("-socketpath=" + this.docker.socket(), "-allowHEAD=/_ping", "-allowGET=/_ping|/v1\\.\\d+/.*",
				"-allowPOST=/v1\\.\\d+/.*", "-allowDELETE=/v1\\.\\d+/.*", "--socketproxy.owner=" + owner);
	}

	@AfterAll
	void stop() {
		this.tenantA.close();
		this.tenantB.close();
	}

	@AfterEach
	void removeObjects() {
		this.docker.removeAllContainers();
		this.docker.removeAllVolumes();
		this.docker.docker("network", "prune", "-f");
	}

	@Test
	void eachTenantRunsListsExecsLogsAndRemovesItsOwnContainers() {
		for (RunningProxy tenant : List.of(this.tenantA, this.tenantB)) {
			String name = (tenant == this.tenantA) ? "a1" : "b1";
			Command.succeeded(cli(tenant, "run", "-d", "--name", name, DockerDaemon.IMAGE, "sh", "-c",
					"echo hello from " + name + "; sleep 300"));
		}

		assertThat(Command.succeeded(cli(this.tenantA, "ps", "--format", "{{.Names}}"))).isEqualTo("a1\n");
		assertThat(Command.succeeded(cli(this.tenantB, "ps", "-a", "--format", "{{.Names}}"))).isEqualTo("b1\n");
		assertThat(Command.succeeded(cli(this.tenantA, "exec", "a1", "echo", "in a1"))).isEqualTo("in a1\n");
		assertThat(Command.succeeded(cli(this.tenantA, "logs", "a1"))).isEqualTo("hello from a1\n");
		assertThat(this.docker.docker("inspect", "--format", "{{index .Config.Labels \"" + OWNER_LABEL + "\"}}", "a1")
			.stdout()).isEqualTo("tenant-a\n");
		Command.succeeded(cli(this.tenantA, "rm", "-f", "a1"));
		assertThat(this.docker.docker("ps", "-a", "--format", "{{.Names}}").stdout()).isEqualTo("b1\n");
	}

	@Test
	void theOtherTenantsContainersAreNotOwnedByNameOrIdAndNotListed() {
		Command.succeeded(cli(this.tenantA, "run", "-d", "--name", "a1", DockerDaemon.IMAGE, "sleep", "300"));
		String id = this.docker.docker("inspect", "--format", "{{.Id}}", "a1").stdout().trim();

		assertThat(Command.succeeded(cli(this.tenantB, "ps", "-a", "-q"))).isEmpty();
		for (String ref : List.of("a1", id, id.substring(0, 12))) {
			for (List<String> command : List.of(List.of("exec", ref, "echo", "x"), List.of("logs", ref),
					List.of("inspect", ref), List.of("stop", ref), List.of("rm", "-f", ref))) {
				Command.Result result = cli(this.tenantB, command.toArray(String[]::new));
				assertThat(result.exitCode()).as(command + " " + result).isNotZero();
				assertThat(result.stderr()).as(command.toString()).contains("Error response from daemon: not owned: container " + ref);
			}
		}
		assertThat(this.docker.docker("ps", "--format", "{{.Names}}").stdout()).isEqualTo("a1\n");
	}

	@Test
	void networksAndVolumesGetTheOwnerLabelAndListsShowOnlyTheTenantsOwn() {
		Command.succeeded(cli(this.tenantA, "network", "create", "net-a"));
		Command.succeeded(cli(this.tenantA, "volume", "create", "vol-a"));
		Command.succeeded(cli(this.tenantB, "volume", "create", "vol-b"));

		assertThat(this.docker.docker("network", "inspect", "--format", "{{index .Labels \"" + OWNER_LABEL + "\"}}",
				"net-a").stdout()).isEqualTo("tenant-a\n");
		assertThat(this.docker.docker("volume", "inspect", "--format", "{{index .Labels \"" + OWNER_LABEL + "\"}}",
				"vol-b").stdout()).isEqualTo("tenant-b\n");
		assertThat(Command.succeeded(cli(this.tenantA, "volume", "ls", "-q"))).isEqualTo("vol-a\n");
		assertThat(Command.succeeded(cli(this.tenantB, "volume", "ls", "-q"))).isEqualTo("vol-b\n");
		assertThat(Command.succeeded(cli(this.tenantA, "network", "ls", "--format", "{{.Name}}"))).isEqualTo("net-a\n");
		assertThat(Command.succeeded(cli(this.tenantB, "network", "ls", "--format", "{{.Name}}"))).isEmpty();
	}

	/** What owner does not hide: names are the engine's, so a name the other tenant took is a conflict. */
	@Test
	void aNameTheOtherTenantTookIsAConflictThatRevealsIt() {
		Command.succeeded(cli(this.tenantA, "run", "-d", "--name", "a1", DockerDaemon.IMAGE, "sleep", "300"));

		Command.Result clash = cli(this.tenantB, "run", "-d", "--name", "a1", DockerDaemon.IMAGE, "sleep", "300");

		assertThat(clash.exitCode()).isNotZero();
		assertThat(clash.stderr()).as(clash.toString()).contains("Conflict", "a1");
	}

	@Test
	void theOtherTenantsVolumesAndNetworksCannotBeUsed() {
		Command.succeeded(cli(this.tenantA, "volume", "create", "vol-a"));
		Command.succeeded(cli(this.tenantA, "network", "create", "net-a"));

		Command.Result volume = cli(this.tenantB, "run", "-d", "-v", "vol-a:/data", DockerDaemon.IMAGE, "sleep", "300");
		Command.Result network = cli(this.tenantB, "run", "-d", "--network", "net-a", DockerDaemon.IMAGE, "sleep", "300");

		assertThat(volume.stderr()).as(volume.toString()).contains("Error response from daemon: not owned: volume vol-a");
		assertThat(network.stderr()).as(network.toString()).contains("Error response from daemon: not owned: network net-a");
		assertThat(this.docker.docker("ps", "-a", "-q").stdout()).isEmpty();
	}

	private static Command.Result cli(RunningProxy tenant, String... args) {
		return DockerDaemon.dockerAt(tenant.dockerHost(), null, args);
	}

}
