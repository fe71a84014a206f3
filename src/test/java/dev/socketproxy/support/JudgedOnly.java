package dev.socketproxy.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.awaitility.core.ConditionTimeoutException;

import dev.socketproxy.labels.DockerEngine;
import dev.socketproxy.support.AccessDecisions.Decision;

import static org.awaitility.Awaitility.await;

/**
 * The proxy's first promise, checked after each test: the socket receives only what was
 * judged. Every request a recording socket server ({@link RawUnixSocketServer},
 * {@link RecordingUnixSocketServer}) received during the test must match one
 * {@code allowed request} decision the proxy logged before it arrived, by method and
 * target (and by client connection, once a test names its clients with
 * {@link #fromClients}); no decision may be matched twice; and no bytes may have arrived
 * that are not a request (unparseable bytes, bytes before a {@code 101}). A request that
 * arrives after its own test ended may still use its decision, left unused by that test.
 * The proxy's own lookups ({@link #isLookup}) need no decision.
 * <p>
 * One line adds it to a test class:
 * <pre>
 * &#64;RegisterExtension
 * static final JudgedOnly judgedOnly = new JudgedOnly();
 * </pre>
 */
public final class JudgedOnly implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

	/** The paths of {@code scope.EngineLookup}'s inspects and the event stream the lookups' cache follows. */
	private static final Pattern LOOKUP = Pattern.compile("/(?:(?:containers|exec)/[^/?]+/json|networks/[^?]+"
			+ "|volumes/[^?]+|images/[^?]+/json|events\\?filters=[^&]+)");

	private final Duration quiet;

	private int decisionsMark;

	private int receivedMark;

	private Set<String> clients;

	/** Allowed decisions of earlier tests in the class that no request used (yet). */
	private final List<Decision> carried = new ArrayList<>();

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
		this.carried.clear();
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
		// also after a failed test: JUnit reports the check's failure beside the test's own
		check(context.getDisplayName());
	}

	/**
	 * Waits for the sockets to go quiet and, for a moment, for the requests this test's
	 * allowed decisions forwarded; then fails listing every request that was not judged.
	 */
	public void check(String test) {
		long testEnded = System.nanoTime();
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> System.nanoTime() - Math.max(testEnded, ReceivedRequest.lastArrival()) >= this.quiet.toNanos());
		try {
			// A request refused for its body after it was allowed may still be on its way (the
			// gateway writes the head while the body streams); waiting for it keeps it in this test.
			await().atMost(Duration.ofSeconds(1))
				.pollInterval(Duration.ofMillis(5))
				.until(() -> match().unused().stream().noneMatch((decision) -> forwardedLater(decision)));
		}
		catch (ConditionTimeoutException ex) {
			// an allowed request the proxy never forwarded (its socket failed, say): nothing more to wait for
		}
		Matching matching = match();
		this.carried.clear();
		this.carried.addAll(matching.unused());
		if (!matching.violations().isEmpty()) {
			throw new AssertionError(test + ": the socket received what the proxy did not allow:\n  "
					+ String.join("\n  ", matching.violations()) + "\ndecisions logged:\n  "
					+ AccessDecisions.since(this.decisionsMark).stream().map(Decision::toString)
						.collect(Collectors.joining("\n  "))
					+ "\nreceived at the socket:\n  " + ReceivedRequest.since(this.receivedMark).stream()
						.map(ReceivedRequest::toString).collect(Collectors.joining("\n  ")));
		}
	}

	private Matching match() {
		return match(AccessDecisions.since(this.decisionsMark), this.carried, ReceivedRequest.since(this.receivedMark),
				this.clients);
	}

	/** Allowed in this test, by one of its clients, and not refused afterwards (for its body). */
	private boolean forwardedLater(Decision decision) {
		List<Decision> decisions = AccessDecisions.since(this.decisionsMark);
		int index = decisions.indexOf(decision);
		return index >= 0 && (this.clients == null || this.clients.contains(decision.client()))
				&& decisions.subList(index + 1, decisions.size())
					.stream()
					.noneMatch((later) -> !later.allowed() && later.client().equals(decision.client())
							&& later.method().equals(decision.method()) && later.path().equals(decision.path()));
	}

	/**
	 * Matches each received request, in order of arrival, with the earliest unused
	 * {@code allowed request} for the same method and target that was logged before it
	 * arrived: first this test's decisions (when {@code clients} is given, only theirs),
	 * then the ones {@code carried} unused from earlier tests of the class, for a request
	 * that arrives after its test ended.
	 */
	static Matching match(List<Decision> decisions, List<Decision> carried, List<ReceivedRequest> received,
			Set<String> clients) {
		List<Decision> own = new ArrayList<>(decisions.stream()
			.filter(Decision::allowed)
			.filter((decision) -> clients == null || clients.contains(decision.client()))
			.toList());
		List<Decision> earlier = new ArrayList<>(carried);
		List<String> violations = new ArrayList<>();
		for (ReceivedRequest request : received) {
			if (isLookup(request)) {
				continue;
			}
			if (!request.parsed()) {
				violations.add("not a request: " + request);
			}
			else if (!use(own, request) && !use(earlier, request)) {
				violations.add("never allowed: " + request);
			}
		}
		List<Decision> unused = new ArrayList<>(own);
		unused.addAll(earlier);
		// other clients' decisions are no use to this test, but may be to a request arriving later
		unused.addAll(decisions.stream()
			.filter(Decision::allowed)
			.filter((decision) -> clients != null && !clients.contains(decision.client()))
			.toList());
		return new Matching(violations, unused);
	}

	/**
	 * Whether the socket received one of the proxy's own engine calls: a {@code GET} of an
	 * inspect or the event stream, without a body, with the lookups' {@code User-Agent}.
	 */
	public static boolean isLookup(ReceivedRequest request) {
		return request.parsed() && request.method().equals("GET") && request.body().length == 0
				&& LOOKUP.matcher(request.target()).matches()
				&& DockerEngine.USER_AGENT.equals(RawUnixSocketServer.header(request.head(), "user-agent"));
	}

	private static boolean use(List<Decision> decisions, ReceivedRequest request) {
		for (int i = 0; i < decisions.size(); i++) {
			Decision decision = decisions.get(i);
			if (decision.at() <= request.at() && request.method().equals(decision.method())
					&& decision.judged(request.target())) {
				decisions.remove(i);
				return true;
			}
		}
		return false;
	}

	/**
	 * What matching found.
	 *
	 * @param violations every request that matched no decision, and every run of bytes that was no request
	 * @param unused the allowed decisions no request used
	 */
	record Matching(List<String> violations, List<Decision> unused) {
	}

}
