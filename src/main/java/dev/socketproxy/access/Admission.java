package dev.socketproxy.access;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

/**
 * The one judge of a request head, for both paths a request can take. In order: the
 * client's rules ({@link ClientSelector}; 403 for a client that may not connect), the
 * head checks ({@link RequestHeadChecks}), the canonical target ({@link RequestTarget};
 * 400), the method and path rules ({@link MethodRules}; 405 and 403). A refusal by the
 * rules is only reported, and the request forwarded, in report-only and learn mode. The
 * body rules come later, on the gateway ({@code access.body}).
 * <p>
 * The gateway asks {@link #judge}, which may have to look a client up (a hostname to
 * resolve, a labelled container). The fast path asks {@link #immediate}, which answers
 * only an outright yes, without a lookup, for a request without a body; it leaves
 * everything else to the gateway, which gives the complete answer.
 */
public final class Admission {

	private final ClientSelector selector;

	private final ActivePolicy policy;

	private final RequestHeadChecks headChecks;

	private final boolean unixListener;

	private final boolean reportOnly;

	/**
	 * @param unixListener whether requests come from the Unix-socket listener, where the
	 * socket file's mode decides who connects and every client gets the default rules
	 * @param reportOnly whether refusals by the rules are reported instead of enforced
	 */
	public Admission(ClientSelector selector, ActivePolicy policy, RequestHeadChecks headChecks,
			boolean unixListener, boolean reportOnly) {
		this.selector = selector;
		this.policy = policy;
		this.headChecks = headChecks;
		this.unixListener = unixListener;
		this.reportOnly = reportOnly;
	}

	/**
	 * Judges a request completely. Only the TCP peer address chooses the client's rules;
	 * headers such as {@code X-Forwarded-For} are never read.
	 */
	public Mono<Verdict> judge(RequestHead head) {
		if (this.unixListener) {
			return Mono.just(judge(head, this.policy.current().defaults()));
		}
		InetSocketAddress peer = head.peer();
		if (peer == null || peer.getAddress() == null) {
			return Mono.just(Verdict.refused(null, null, Denial.FORBIDDEN_IP));
		}
		return this.selector.select(peer.getAddress())
			.map((rules) -> rules.map((found) -> judge(head, found))
				.orElseGet(() -> Verdict.refused(null, null, Denial.FORBIDDEN_IP)));
	}

	/**
	 * The verdict on an HTTP/1.1 {@code GET} or {@code HEAD} without a body, an upgrade or
	 * an {@code Expect}, if it is {@link Decision#ALLOWED} and needed no lookup. A request
	 * the client's rules keep on the gateway ({@link ClientRules#gatewayOnly}: a redacted
	 * answer, an object scope) is left to it, where the redaction and the scope happen.
	 * @param method the request method
	 * @param version the request's HTTP version
	 * @param uri the request target exactly as in the request line
	 * @param headers the request headers as Netty decoded them
	 * @param peer the TCP peer's address
	 * @return the allowing verdict, or empty if the gateway must judge the request
	 */
	public Optional<Verdict> immediate(HttpMethod method, HttpVersion version, String uri, HttpHeaders headers,
			InetAddress peer) {
		if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) || !HttpVersion.HTTP_1_1.equals(version)
				|| !withoutBody(headers) || headers.contains(HttpHeaderNames.UPGRADE)
				|| headers.contains(HttpHeaderNames.EXPECT)) {
			return Optional.empty();
		}
		return this.selector.selectWithoutLookup(peer)
			.map((rules) -> judge(new RequestHead(method.name(), uri, headers, null, null), rules))
			.filter((verdict) -> verdict.decision() == Decision.ALLOWED
					&& !verdict.rules().gatewayOnly(verdict.target().path()));
	}

	private Verdict judge(RequestHead head, ClientRules rules) {
		Optional<Denial> badHead = this.headChecks.check(head.headers());
		if (badHead.isPresent()) {
			return Verdict.refused(rules, null, badHead.get());
		}
		RequestTarget target;
		try {
			target = RequestTarget.parse(head.target());
		}
		catch (RequestTarget.NonCanonicalException ex) {
			return Verdict.refused(rules, null, nonCanonical(ex.getMessage()));
		}
		if (!head.forwards(target)) {
			return Verdict.refused(rules, null, nonCanonical("changed by parsing"));
		}
		return switch (rules.rules().evaluate(head.method(), target.path())) {
			case ALLOWED -> new Verdict(Decision.ALLOWED, rules, target, null);
			case METHOD_NOT_ALLOWED -> byTheRules(rules, target, Denial.METHOD_NOT_ALLOWED);
			case PATH_NOT_ALLOWED -> byTheRules(rules, target, Denial.PATH_NOT_ALLOWED);
		};
	}

	private Verdict byTheRules(ClientRules rules, RequestTarget target, Denial denial) {
		return this.reportOnly ? new Verdict(Decision.REPORTED, rules, target, denial)
				: Verdict.refused(rules, target, denial);
	}

	private static Denial nonCanonical(String why) {
		return Denial.explained(HttpStatus.BAD_REQUEST, "non-canonical path: " + why);
	}

	private static boolean withoutBody(HttpHeaders headers) {
		String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		return !headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && (contentLength == null || contentLength.equals("0"));
	}

	/** What becomes of a judged request. */
	public enum Decision {

		/** Forwarded: every decision allowed it. */
		ALLOWED,

		/** Forwarded although the rules refuse it (report-only or learn mode), with a "would block" line. */
		REPORTED,

		/** Answered with {@link Verdict#denial()}; nothing of it reaches the socket. */
		REFUSED

	}

	/**
	 * The admission's answer on one request.
	 *
	 * @param decision what becomes of the request
	 * @param rules the rules that judged the client; {@code null} if it may not connect
	 * @param target the canonical target, {@code null} if the head or target was refused
	 * @param denial the refusal, enforced or reported; {@code null} when allowed
	 */
	public record Verdict(Decision decision, ClientRules rules, RequestTarget target, Denial denial) {

		static Verdict refused(ClientRules rules, RequestTarget target, Denial denial) {
			return new Verdict(Decision.REFUSED, rules, target, denial);
		}

	}

}
