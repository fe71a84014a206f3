package dev.socketproxy.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a failed start as one line on standard error, so an operator reading
 * {@code docker logs} sees the cause instead of a stack trace.
 */
public class OneLineFailureReporter implements FailureAnalysisReporter {

	@Override
	public void report(FailureAnalysis analysis) {
		StringBuilder line = new StringBuilder(analysis.getDescription());
		if (analysis.getAction() != null && !analysis.getAction().isBlank()) {
			line.append(" (").append(analysis.getAction()).append(')');
		}
		System.err.println("socket-proxy: " + line.toString().replaceAll("\\s*\\R\\s*", " ").trim());
	}

}
