package dev.socketproxy.learn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.SocketProxyProperties;

/** Learn mode's recorder, its filter and its reporter; none of them exists unless learn mode is on. */
@Configuration(proxyBeanMethods = false)
@Conditional(OnLearnMode.class)
public class LearnConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(LearnConfiguration.class);

	/** Enough for any real client's API surface; a client past it is probing, not working. */
	private static final int MAX_PATTERNS_PER_CLIENT = 1000;

	private static final int MAX_CLIENTS = 1000;

	private static final Duration REPORT_INTERVAL = Duration.ofSeconds(10);

	@Bean
	LearnedTraffic learnedTraffic() {
		return new LearnedTraffic(MAX_CLIENTS, MAX_PATTERNS_PER_CLIENT);
	}

	@Bean
	LearnFilter learnFilter(LearnedTraffic traffic) {
		return new LearnFilter(traffic);
	}

	@Bean
	LearnReporter learnReporter(LearnedTraffic traffic, SocketProxyProperties properties) {
		Path file = (properties.learn().file() != null) ? Path.of(properties.learn().file()).toAbsolutePath() : null;
		if (file != null && !Files.isDirectory(file.getParent())) {
			throw new InvalidConfigurationException("socketproxy.learn.file", properties.learn().file(),
					"its directory does not exist");
		}
		logger.atWarn()
			.addKeyValue("file", (file != null) ? file : "none")
			.log("LEARN MODE: every request from an allowed client is forwarded, whatever the rules say; "
					+ "use it only to record what a trusted client needs, never in production");
		return new LearnReporter(traffic, file, REPORT_INTERVAL);
	}

}
