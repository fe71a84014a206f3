package dev.socketproxy.upstream;

import java.util.Set;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.server.ServerWebExchange;

/**
 * Forwards a request that came with neither {@code Content-Length} nor
 * {@code Transfer-Encoding}, so has no body (RFC 9112, 6.3), with
 * {@code Content-Length: 0}. Without it the gateway's client sends a {@code POST} (any
 * method but {@code GET}, {@code HEAD} and {@code DELETE}) chunked with an empty body,
 * which the engine takes for a body: {@code curl -X POST .../containers/{id}/start}
 * would get {@code 400 starting container with non-empty request body}.
 */
final class BodilessRequestLength implements HttpHeadersFilter {

	/** Methods Reactor Netty's client already sends without a body when none comes. */
	private static final Set<HttpMethod> SENT_WITHOUT_BODY = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE);

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		HttpHeaders received = exchange.getRequest().getHeaders();
		if (SENT_WITHOUT_BODY.contains(exchange.getRequest().getMethod())
				|| received.containsHeader(HttpHeaders.CONTENT_LENGTH)
				|| received.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return input;
		}
		HttpHeaders forwarded = HttpHeaders.copyOf(input);
		forwarded.setContentLength(0);
		return forwarded;
	}

}
