package dev.socketproxy.access;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What both paths record of a request, in the meters. */
class RequestRecorderTest {

	private final List<String> calls = new ArrayList<>();

	private final RequestRecorder recorder = new RequestRecorder(new RecordingMeters(this.calls),
			() -> this.calls.add("socket answered"));

	@Test
	void anAnsweredRequestIsTimedAndStreamedUntilItEndsAndIsCounted() {
		this.recorder.answered("GET", 200, Duration.ofMillis(3));
		this.recorder.ended("GET", null, null, true);
		assertThat(this.calls).containsExactly("socket answered", "answered GET 200 3ms", "stream opened", "stream closed",
				"decided GET null null");
	}

	@Test
	void aRefusedOrReportedRequestIsCountedAsSuch() {
		this.recorder.ended("DELETE", Denial.METHOD_NOT_ALLOWED, null, false);
		this.recorder.ended("GET", null, Denial.PATH_NOT_ALLOWED, true);
		assertThat(this.calls).containsExactly("decided DELETE method not allowed null", "stream closed",
				"decided GET null path not allowed");
	}

	@Test
	void aRequestTheSocketDidNotAnswerOpensNoStream() {
		this.recorder.failed("POST", new IOException("connection refused"));
		this.recorder.ended("POST", null, null, false);
		assertThat(this.calls).containsExactly("failed POST connection refused", "decided POST null null");
	}

}
