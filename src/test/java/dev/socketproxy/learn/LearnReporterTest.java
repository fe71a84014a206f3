package dev.socketproxy.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LearnReporterTest {

	@TempDir
	Path dir;

	private final LearnedTraffic traffic = new LearnedTraffic(10, 10);

	@Test
	void writesTheFileWhenSomethingNewWasLearnedAndOnceMoreOnShutdown() throws IOException {
		Path file = this.dir.resolve("learned.yaml");
		LearnReporter reporter = new LearnReporter(this.traffic, file, Duration.ofHours(1));
		this.traffic.record("127.0.0.1", "GET", "/v1.51/version");

		reporter.report(false);
		assertThat(Files.readString(file)).contains("- '/v1\\.[0-9]+/version'");

		Files.delete(file);
		this.traffic.record("127.0.0.1", "GET", "/v1.47/version");
		reporter.report(false);
		assertThat(file).as("nothing new, nothing written").doesNotExist();

		this.traffic.record("127.0.0.1", "HEAD", "/_ping");
		reporter.report(false);
		assertThat(Files.readString(file)).contains("HEAD:\n          - '/_ping'");

		Files.delete(file);
		reporter.destroy();
		assertThat(Files.readString(file)).contains("- '/v1\\.[0-9]+/version'", "- '/_ping'");
		try (var entries = Files.list(this.dir)) {
			assertThat(entries).as("no temporary file left behind").containsExactly(file);
		}
	}

	@Test
	void reportsOnItsOwnAtTheInterval() throws Exception {
		Path file = this.dir.resolve("learned.yaml");
		LearnReporter reporter = new LearnReporter(this.traffic, file, Duration.ofMillis(50));
		try {
			this.traffic.record("127.0.0.1", "GET", "/v1.51/info");
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(20))
				.untilAsserted(() -> assertThat(file).content().contains("- '/v1\\.[0-9]+/info'"));
		}
		finally {
			reporter.destroy();
		}
	}

}
