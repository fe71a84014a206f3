package dev.socketproxy.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.socketproxy.support.AccessDecisions.Decision;

import static org.awaitility.Awaitility.await;

/**
 * The proxy's first promise, checked after each test: the socket receives only what was
 * judged. Every request a recording socket server ({@link RawUnixSocketServer},
 * {@link RecordingUnixSocketServer}) received during the test must match one
 * {@code allowed request} decision the proxy logged before it arrived, by method and
 * target (and by client connection, once a test names its clients with
 * {@link #fromClients}); no decision may be matched twice; and no bytes may have arrived
 * that are not a request (unparseable bytes, bytes before a {@code 101}).
 * <p>
 * One line adds it to a test class:
 * <pre>
 * &#64;RegisterExtension
 * static final JudgedOnly judgedOnly = new JudgedOnly();
 * </pre>
 */
public final class JudgedOnly implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	private final Duration quiet;

	private int decisionsMark;

	private int receivedMark;

	private Set<String> clients;

	/** Waits until the sockets have been quiet for 100 ms before it checks. */
	public JudgedOnly() {
		this(Duration.ofMillis(100));
	}

	/**
	 * Waits until the sockets have been quiet for {@code quiet} before it checks, so a
	 * request still on its way is seen: a test that reads every answer it expects may
	 * choose less.
	 */
	public JudgedOnly(Duration quiet) {
		this.quiet = quiet;
		// as the test class initialises, before any output capture of its own starts
		AccessDecisions.readConsole();
	}

	/**
	 * Only decisions for these client connections (local ports of the test's sockets to the
	 * proxy) may account for what the socket receives in this test.
	 */
	public JudgedOnly fromClients(int... ports) {
		this.clients = Arrays.stream(ports).mapToObj((port) -> "127.0.0.1:" + port).collect(Collectors.toSet());
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		AccessDecisions.install();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		AccessDecisions.uninstall();
		ReceivedRequest.clearAll();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		this.decisionsMark = AccessDecisions.count();
		this.receivedMark = ReceivedRequest.count();
		this.clients = null;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (context.getExecutionException().isEmpty()) {
			check(context.getDisplayName());
		}
	}

	/** Waits for the sockets to go quiet, then fails listing every request that was not judged. */
	public void check(String test) {
		long testEnded = System.nanoTime();
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(() -> System.nanoTime() - Math.max(testEnded, ReceivedRequest.lastArrival()) >= this.quiet.toNanos());
		List<Decision> decisions = AccessDecisions.since(this.decisionsMark);
		List<ReceivedRequest> received = ReceivedRequest.since(this.receivedMark);
		List<String> violations = violations(decisions, received, this.clients);
		if (!violations.isEmpty()) {
			throw new AssertionError(test + ": the socket received what the proxy did not allow:\n  "
					+ String.join("\n  ", violations) + "\ndecisions logged:\n  "
					+ decisions.stream().map(Decision::toString).collect(Collectors.joining("\n  "))
					+ "\nreceived at the socket:\n  "
					+ received.stream().map(ReceivedRequest::toString).collect(Collectors.joining("\n  ")));
		}
	}

	/**
	 * Matches each received request, in order of arrival, with the earliest unused
	 * {@code allowed request} for the same method and target that was logged before it
	 * arrived and, when {@code clients} is given, came from one of them.
	 */
	static List<String> violations(List<Decision> decisions, List<ReceivedRequest> received, Set<String> clients) {
		List<Decision> unused = new ArrayList<>(decisions.stream()
			.filter(Decision::allowed)
			.filter((decision) -> clients == null || clients.contains(decision.client()))
			.toList());
		List<String> violations = new ArrayList<>();
		for (ReceivedRequest request : received) {
			if (!request.parsed()) {
				violations.add("not a request: " + request);
				continue;
			}
			Decision match = unused.stream()
				.filter((decision) -> decision.at() <= request.at() && request.method().equals(decision.method())
						&& request.target().equals(decision.path()))
				.findFirst()
				.orElse(null);
			if (match == null) {
				violations.add("never allowed: " + request);
			}
			else {
				unused.remove(unused.indexOf(match));
			}
		}
		return violations;
	}

}
