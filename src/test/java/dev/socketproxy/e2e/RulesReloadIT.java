package dev.socketproxy.e2e;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketproxy.support.Command;
import dev.socketproxy.support.DockerDaemon;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hot reload of the rules file against a real dockerd: changes apply to the next request
 * while requests keep flowing, an event stream and an attached container session stay
 * open across reloads, and an invalid file is refused while the rules in force stay.
 */
@ExtendWith({ DockerDaemon.Extension.class, OutputCaptureExtension.class })
class RulesReloadIT {

	private static final String ALWAYS = """
			socketproxy:
			  allow:
			    HEAD: ['/_ping']
			    POST: ['/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+(/(attach|start|wait|resize))?']
			    GET:
			      - '/_ping'
			      - '/v1\\.[0-9]+/(version|events|containers/[a-zA-Z0-9_.-]+/json)'
			""";

	private static final String WITH_PS = ALWAYS + "      - '/v1\\.[0-9]+/containers/json'\n";

	@TempDir
	Path dir;

	private RunningProxy proxy;

	@AfterEach
	void stop() {
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	@Test
	void rulesChangeUnderLoadWithoutDroppingStreamsOrSessions(DockerDaemon docker, CapturedOutput output)
			throws Exception {
		Path rules = this.dir.resolve("rules.yaml");
		Files.writeString(rules, ALWAYS);
		this.proxy = RunningProxy.start("-socketpath=" + docker.socket(), "--socketproxy.rules-file=" + rules,
				"--socketproxy.rules-file-check-interval=200ms");
		String host = this.proxy.dockerHost();
		MeterRegistry registry = this.proxy.context().getBean(MeterRegistry.class);
		assertThat(DockerDaemon.dockerAt(host, null, "ps").stderr()).contains("Forbidden");

		try (Command.Running events = DockerDaemon.startDockerAt(host, "events", "--filter", "type=container",
				"--format", "{{.Status}} {{.Actor.Attributes.name}}");
				Command.Running session = DockerDaemon.startDockerAt(host, "run", "-i", "--rm", "--name", "reload-cat",
						DockerDaemon.IMAGE, "cat");
				Load load = new Load(this.proxy.uri("/v1.41/version").toString())) {
			session.stdin().write("before\n".getBytes(StandardCharsets.UTF_8));
			session.stdin().flush();
			session.awaitOutput("before", Duration.ofSeconds(30));

			replace(rules, WITH_PS);
			awaitTrue(() -> DockerDaemon.dockerAt(host, null, "ps").exitCode() == 0, "docker ps allowed after reload");
			replace(rules, WITH_PS.replace("containers/json", "containers/json("));
			awaitTrue(() -> output.getOut().contains("rules reload refused, the rules in force stay"), "refusal logged");
			assertThat(output.getOut()).containsPattern("rules reload refused, the rules in force stay file=\"\\S+\""
					+ " key=\"socketproxy\\.allow\\[GET\\]\\[2\\]\" value=\"\\S+\" reason=\"not a valid RE2 regular expression");
			assertThat(DockerDaemon.dockerAt(host, null, "ps").exitCode()).as("old rules stay").isZero();
			replace(rules, ALWAYS);
			awaitTrue(() -> DockerDaemon.dockerAt(host, null, "ps").exitCode() != 0, "docker ps refused again");

			session.stdin().write("after\n".getBytes(StandardCharsets.UTF_8));
			session.stdin().flush();
			session.awaitOutput("after", Duration.ofSeconds(10));
			session.stdin().close();
			assertThat(session.awaitExit(Duration.ofSeconds(30))).as(session.output()).isZero();

			docker.docker("run", "--rm", "--name", "after-reloads", DockerDaemon.IMAGE, "echo", "hi");
			events.awaitOutput("start after-reloads", Duration.ofSeconds(10));
			assertThat(events.isAlive()).isTrue();
			assertThat(load.failures).as("requests that failed during the reloads").isEmpty();
			assertThat(load.ok.get()).isPositive();
		}
		// A reload is counted and logged just after the new rules are in force.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(registry.get("socketproxy.rules.reloads").tag("result", "applied").counter().count()).isEqualTo(2);
			assertThat(registry.get("socketproxy.rules.reloads").tag("result", "refused").counter().count()).isEqualTo(1);
			assertThat(output.getOut()).contains("rules reloaded file=\"" + rules + "\"");
		});
	}

	/** Like editors and config maps: the new content appears at once, by rename. */
	private void replace(Path rules, String content) throws IOException {
		Path next = Files.writeString(this.dir.resolve("rules.yaml.tmp"), content);
		Files.move(next, rules, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	private static void awaitTrue(BooleanSupplier condition, String what) {
		await(what).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
	}

	/** Allowed requests sent without pause on one connection while the rules change. */
	private static final class Load implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicInteger ok = new AtomicInteger();

		private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

		private final Thread thread;

		Load(String uri) {
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(uri)).build();
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					try {
						int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
						if (status == 200) {
							this.ok.incrementAndGet();
						}
						else {
							this.failures.add("status " + status);
						}
					}
					catch (IOException ex) {
						this.failures.add(ex.toString());
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, "reload-load");
			this.thread.start();
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			this.thread.join(10_000);
		}

	}

}
