package dev.socketproxy.access;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What the {@link Admission} judges a request by: its head exactly as Netty decoded it,
 * and the client's address. Nothing of it is read from a parsed form, which could differ
 * from what the socket receives.
 *
 * @param method the method, case-sensitive as sent
 * @param target the request target exactly as in the request line
 * @param headers the headers as Netty decoded them
 * @param peer the client's TCP address; {@code null} on the Unix-socket listener
 * @param forwarded the URI the gateway parsed from the target and forwards; {@code null}
 * where the target itself is forwarded (the fast path)
 */
public record RequestHead(String method, String target, HttpHeaders headers, InetSocketAddress peer, URI forwarded) {

	/**
	 * Whether the gateway forwards the very path and query of this canonical target. The
	 * gateway's routing writes the query's pairs back grouped by key and without empty
	 * ones, which the engine reads alike (the first value of each parameter stays first),
	 * so the query is compared in that form.
	 */
	boolean forwards(RequestTarget canonical) {
		return this.forwarded == null || (canonical.rawPath().equals(this.forwarded.getRawPath())
				&& Objects.equals(grouped(canonical.rawQuery()), this.forwarded.getRawQuery()));
	}

	/** The query's non-empty pairs, those of one raw key together, in order of first appearance; {@code null} for none. */
	static String grouped(String rawQuery) {
		if (rawQuery == null) {
			return null;
		}
		Map<String, List<String>> pairs = new LinkedHashMap<>();
		for (String pair : rawQuery.split("&")) {
			if (!pair.isEmpty()) {
				int equals = pair.indexOf('=');
				pairs.computeIfAbsent((equals >= 0) ? pair.substring(0, equals) : pair, (key) -> new ArrayList<>()).add(pair);
			}
		}
		// as the routing drops an empty query
		return pairs.isEmpty() ? null : pairs.values().stream().flatMap(List::stream).collect(Collectors.joining("&"));
	}

}
