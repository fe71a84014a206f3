package dev.socketproxy.labels;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

class EngineEventsPhaseTest {

	@Test
	void stopsBeforeTheGracefulShutdownSoItsStreamIsNotCutAndFollowedAgain() {
		EngineEvents events = new EngineEvents(new DockerEngine(HttpClient.create()), LabelRescans.FILTERS,
				new LabelRescans((reason) -> {
				}), EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(1)));

		assertThat(events.getPhase()).isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
	}

}
