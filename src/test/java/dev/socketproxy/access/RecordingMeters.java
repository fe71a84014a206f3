package dev.socketproxy.access;

import java.time.Duration;
import java.util.List;

/** Names each meter call, in order, to show what a request was counted as and when. */
record RecordingMeters(List<String> calls) implements RequestMeters {

	@Override
	public void decided(String method, Denial denial, Denial reported) {
		this.calls.add("decided " + method + " " + ((denial != null) ? denial.reason() : null) + " "
				+ ((reported != null) ? reported.reason() : null));
	}

	@Override
	public void upstreamAnswered(String method, int status, Duration elapsed) {
		this.calls.add("answered " + method + " " + status + " " + elapsed.toMillis() + "ms");
	}

	@Override
	public void upstreamFailed(String method, Throwable error) {
		this.calls.add("failed " + method + " " + error.getMessage());
	}

	@Override
	public void streamOpened() {
		this.calls.add("stream opened");
	}

	@Override
	public void streamClosed() {
		this.calls.add("stream closed");
	}

}
