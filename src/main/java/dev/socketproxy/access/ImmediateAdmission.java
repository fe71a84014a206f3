package dev.socketproxy.access;

import java.net.InetAddress;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import dev.socketproxy.redact.RedactEnvFilter;

/**
 * Decides from the request head alone whether a request passes every access decision
 * the gateway's filters would make, in the same order and with the same classes: the
 * client's rules ({@link ClientSelector}), the head checks ({@link RequestHeadChecks}),
 * the canonical target ({@link RequestTarget}) and the method and path rules
 * ({@link MethodRules}). Only an outright yes for an HTTP/1.1 {@code GET} or
 * {@code HEAD} without a body, an upgrade or an {@code Expect} counts. Anything else
 * (a refusal, a hostname to resolve, a labelled container to look up, a body to
 * inspect) is not answered here but left to the gateway's filters, which give the
 * complete answer: status, log line and metrics.
 */
public final class ImmediateAdmission {

	private final ClientSelector selector;

	private final RequestHeadChecks headChecks;

	public ImmediateAdmission(ClientSelector selector, RequestHeadChecks headChecks) {
		this.selector = selector;
		this.headChecks = headChecks;
	}

	/**
	 * @param method the request method
	 * @param version the request's HTTP version
	 * @param uri the request target exactly as in the request line
	 * @param headers the request headers as Netty decoded them
	 * @param peer the TCP peer's address
	 * @return the rules that allowed the request, or empty if the gateway must decide
	 */
	public Optional<Admitted> admit(HttpMethod method, HttpVersion version, String uri, HttpHeaders headers,
			InetAddress peer) {
		if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) || !HttpVersion.HTTP_1_1.equals(version)
				|| !withoutBody(headers) || headers.contains(HttpHeaderNames.UPGRADE)
				|| headers.contains(HttpHeaderNames.EXPECT)) {
			return Optional.empty();
		}
		Optional<ClientRules> rules = this.selector.selectWithoutLookup(peer);
		if (rules.isEmpty() || this.headChecks.check(headers).isPresent()) {
			return Optional.empty();
		}
		RequestTarget target;
		try {
			target = RequestTarget.parse(uri);
		}
		catch (RequestTarget.NonCanonicalException ex) {
			return Optional.empty();
		}
		if (rules.get().rules().evaluate(method.name(), target.path()) != MethodRules.Verdict.ALLOWED
				|| RedactEnvFilter.redacts(rules.get(), target.path())) {
			return Optional.empty();
		}
		return Optional.of(new Admitted(rules.get(), target));
	}

	private static boolean withoutBody(HttpHeaders headers) {
		String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
		return !headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && (contentLength == null || contentLength.equals("0"));
	}

	/**
	 * A request every access decision allowed.
	 *
	 * @param rules the rules that judged the client
	 * @param target the canonical target that was judged and is forwarded
	 */
	public record Admitted(ClientRules rules, RequestTarget target) {
	}

}
