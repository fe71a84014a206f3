package dev.socketproxy.learn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

import dev.socketproxy.learn.LearnedTraffic.LearnedRules;

/**
 * Says what learn mode has learned: at most once per interval and only when something
 * new was learned, and once more on shutdown, after the listener has stopped and the
 * last requests are recorded. Each time it logs the rules at INFO and, if a file is
 * configured, replaces the file atomically, so a reader never sees half of it.
 */
class LearnReporter implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(LearnReporter.class);

	private final LearnedTraffic traffic;

	private final Path file;

	private final ScheduledExecutorService scheduler;

	private long reportedGeneration;

	LearnReporter(LearnedTraffic traffic, Path file, Duration interval) {
		this.traffic = traffic;
		this.file = file;
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "learn-reporter");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(() -> report(false), interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** Reports unless nothing was learned since the last report, or always when {@code last}. */
	synchronized void report(boolean last) {
		long generation = this.traffic.generation();
		if (generation == this.reportedGeneration && !last) {
			return;
		}
		this.reportedGeneration = generation;
		Map<String, LearnedRules> rules = this.traffic.snapshot();
		String yaml = LearnedRulesYaml.render(rules);
		int ruleCount = rules.values()
			.stream()
			.flatMap((client) -> client.allow().values().stream())
			.mapToInt(List::size)
			.sum();
		logger.atInfo()
			.addKeyValue("clients", rules.size())
			.addKeyValue("rules", ruleCount)
			.addKeyValue("droppedClientRequests", this.traffic.droppedClientRequests())
			.addKeyValue("file", (this.file != null) ? this.file : "none")
			.log((last ? "learned rules (final)" : "learned rules") + ", ready to paste into the configuration:\n" + yaml);
		if (this.file != null) {
			write(yaml);
		}
	}

	private void write(String yaml) {
		try {
			Path temp = Files.createTempFile(this.file.toAbsolutePath().getParent(), ".learned-", ".yaml.tmp");
			try {
				Files.writeString(temp, yaml, StandardCharsets.UTF_8);
				// A rename within one directory: readers see the old file or the new one.
				Files.move(temp, this.file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				Files.deleteIfExists(temp);
			}
		}
		catch (IOException ex) {
			logger.atError().addKeyValue("file", this.file).addKeyValue("reason", ex.toString()).log("cannot write learned rules");
		}
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		report(true);
	}

}
