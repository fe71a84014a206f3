package dev.socketproxy.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

/**
 * The headers that concern one connection only, removed the way the gateway's
 * {@link RemoveHopByHopHeadersFilter} and {@code RemoveForwardedHeadersFilter} remove
 * them, so that a request forwarded by {@link FastPathHandler} reaches the socket with the
 * headers the gateway would have sent, and its response (and an upgrade's non-{@code 101}
 * answer) reaches the client the same way. The names are the gateway filter's, so its
 * setting {@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers}
 * applies here too. {@code Transfer-Encoding} stays: the message is re-encoded with the
 * framing it names.
 */
final class HopByHopHeaders {

	private static final String FORWARDED = "forwarded";

	private static final String X_FORWARDED = "x-forwarded-";

	private final List<String> names;

	/**
	 * The names {@code gateway} removes, less {@code Transfer-Encoding}: the gateway
	 * re-frames the body itself, here the message keeps the framing it came with.
	 */
	HopByHopHeaders(RemoveHopByHopHeadersFilter gateway) {
		this.names = gateway.getHeaders()
			.stream()
			.filter((name) -> !name.equalsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING.toString()))
			.toList();
	}

	/** Without hop-by-hop headers and without proxy headers the client made up ({@code X-Forwarded-*}). */
	void removeFromRequest(HttpHeaders headers) {
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

	void removeFromResponse(HttpHeaders headers) {
		remove(headers);
	}

	private void remove(HttpHeaders headers) {
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
		for (String name : this.names) {
			headers.remove(name);
		}
	}

	private static boolean isForwardedHeader(String name) {
		return name.regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length());
	}

}
