package dev.socketproxy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

/**
 * The headers that concern one connection only, removed the way the gateway's
 * {@link RemoveHopByHopHeadersFilter} (whose list this uses) and
 * {@code RemoveForwardedHeadersFilter} remove them, so that a request forwarded by {@link FastPathHandler} reaches the socket with
 * the headers the gateway would have sent, and its response reaches the client the same
 * way. {@code Transfer-Encoding} stays on responses: the response is re-encoded with the
 * framing it names.
 */
final class HopByHopHeaders {

	/**
	 * The gateway's own list, less {@code Transfer-Encoding}: the gateway re-frames the body
	 * itself, here the message keeps the framing it came with.
	 */
	private static final List<String> NAMES = RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.stream()
		.filter((name) -> !name.equalsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING.toString()))
		.toList();

	private static final String FORWARDED = "forwarded";

	private static final String X_FORWARDED = "x-forwarded-";

	private HopByHopHeaders() {
	}

	/** Without hop-by-hop headers and without proxy headers the client made up ({@code X-Forwarded-*}). */
	static void removeFromRequest(HttpHeaders headers) {
		remove(headers);
		headers.remove(FORWARDED);
		// On every forwarded request: no copy of the names unless a client sent such a header.
		List<String> forwarded = null;
		for (Map.Entry<String, String> header : headers) {
			if (isForwardedHeader(header.getKey())) {
				forwarded = (forwarded != null) ? forwarded : new ArrayList<>();
				forwarded.add(header.getKey());
			}
		}
		if (forwarded != null) {
			forwarded.forEach(headers::remove);
		}
	}

	static void removeFromResponse(HttpHeaders headers) {
		remove(headers);
	}

	private static void remove(HttpHeaders headers) {
		for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
			for (String token : connection.split(",")) {
				String name = token.trim();
				// A Connection header must not take away what frames or routes the message.
				if (!name.isEmpty() && !name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")
						&& !name.equalsIgnoreCase("transfer-encoding")) {
					headers.remove(name);
				}
			}
		}
		for (String name : NAMES) {
			headers.remove(name);
		}
	}

	private static boolean isForwardedHeader(String name) {
		return name.regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length());
	}

}
