package dev.socketproxy.it;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.socketproxy.access.RuleEnforcement;
import dev.socketproxy.support.RunningProxy;
import dev.socketproxy.support.RecordingUnixSocketServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of the learn switch that the properties read as {@code true} both
 * forwards what the rules refuse and records it: never one without the other.
 */
class LearnModeSwitchIT {

	@ParameterizedTest
	@CsvSource({ "true, true", "on, true", "yes, true", "1, true", "TRUE, true", "false, false", "off, false" })
	void forwardingAndLearningAreSwitchedTogether(String value, boolean learning, @TempDir Path dir) {
		try (RecordingUnixSocketServer upstream = RecordingUnixSocketServer.start(dir.resolve("upstream.sock"));
				RunningProxy proxy = RunningProxy.start("-socketpath=" + upstream.socket(),
						"--socketproxy.learn.enabled=" + value)) {
			boolean forwardsRefused = proxy.context().getBean(RuleEnforcement.class).reportOnly();
			boolean records = proxy.context().containsBean("learnFilter");

			assertThat(forwardsRefused).isEqualTo(learning);
			assertThat(records).isEqualTo(learning);
		}
	}

}
