package dev.socketproxy.access;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaders;

import org.springframework.http.HttpStatus;

/**
 * What a request head must look like before any rule is applied: nothing that two HTTP
 * parsers could read differently (message framing, Host), nothing that asks the socket
 * server to act on another method than the one the rules judged. A request without Host
 * is refused in HTTP/1.0 too, since the socket server is sent the client's Host. Netty's
 * decoder already refuses malformed lines, oversized heads and duplicate
 * {@code Content-Length} values; these checks cover what it lets through.
 */
public final class RequestHeadChecks {

	/** Headers some servers honour to replace the request method. */
	static final List<String> METHOD_OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method",
			"X-Method-Override");

	/** RFC 3986 {@code host [ ":" port ]}: a Host header must not carry a path, query or fragment. */
	private static final Pattern HOST = Pattern
		.compile("(?:[A-Za-z0-9._~!$&'()*+,;=%-]*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

	private final int maxHeaderCount;

	public RequestHeadChecks(int maxHeaderCount) {
		this.maxHeaderCount = maxHeaderCount;
	}

	/** The reason to refuse the head, or empty if it may go on to the rules. */
	public Optional<Denial> check(HttpHeaders headers) {
		if (headers.size() > this.maxHeaderCount) {
			return refuse(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
		}
		List<String> hosts = headers.getAll("Host");
		if (hosts.size() > 1) {
			return refuse(HttpStatus.BAD_REQUEST, "more than one Host header");
		}
		if (hosts.isEmpty()) {
			return refuse(HttpStatus.BAD_REQUEST, "missing Host header");
		}
		if (hosts.size() == 1 && !HOST.matcher(hosts.get(0)).matches()) {
			return refuse(HttpStatus.BAD_REQUEST, "invalid Host header");
		}
		List<String> transferEncodings = headers.getAll("Transfer-Encoding");
		List<String> contentLengths = headers.getAll("Content-Length");
		if (!transferEncodings.isEmpty() && !contentLengths.isEmpty()) {
			return refuse(HttpStatus.BAD_REQUEST, "both Transfer-Encoding and Content-Length");
		}
		if (transferEncodings.size() > 1 || (transferEncodings.size() == 1
				&& !transferEncodings.get(0).trim().equalsIgnoreCase("chunked"))) {
			return refuse(HttpStatus.BAD_REQUEST, "Transfer-Encoding other than chunked");
		}
		if (contentLengths.size() > 1 || (contentLengths.size() == 1 && !contentLengths.get(0).matches("[0-9]{1,18}"))) {
			return refuse(HttpStatus.BAD_REQUEST, "invalid Content-Length");
		}
		for (String name : METHOD_OVERRIDE_HEADERS) {
			if (headers.contains(name)) {
				return refuse(HttpStatus.BAD_REQUEST, "method override header " + name);
			}
		}
		String expect = headers.get("Expect");
		if (expect != null && !expect.trim().equalsIgnoreCase("100-continue")) {
			return refuse(HttpStatus.EXPECTATION_FAILED, "unsupported Expect");
		}
		return Optional.empty();
	}

	private static Optional<Denial> refuse(HttpStatus status, String reason) {
		return Optional.of(Denial.explained(status, reason));
	}

}
