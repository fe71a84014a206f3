package dev.socketproxy.access;

import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Refuses a request whose target is not canonical and records the canonical one for the
 * rules. The target is read from the request line as Reactor Netty received it, not
 * from the parsed {@code URI}, and must equal the path and query the gateway will
 * forward: what is judged is what the socket gets.
 */
public class RequestTargetFilter implements GlobalFilter, Ordered {

	/** After the client allowlist and the request head checks, before the rules. */
	public static final int ORDER = ClientSelectionFilter.ORDER + 50;

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpServerRequest nettyRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		RequestTarget target;
		try {
			target = RequestTarget.parse(nettyRequest.uri());
		}
		catch (RequestTarget.NonCanonicalException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "non-canonical path: " + ex.getMessage()));
		}
		if (!target.rawPath().equals(request.getURI().getRawPath())
				|| !equalsNullable(target.rawQuery(), request.getURI().getRawQuery())) {
			return DenialResponse.send(exchange,
					Denial.explained(HttpStatus.BAD_REQUEST, "non-canonical path: changed by parsing"));
		}
		exchange.getAttributes().put(RequestTarget.ATTRIBUTE, target);
		return chain.filter(exchange);
	}

	private static boolean equalsNullable(String a, String b) {
		return (a == null) ? b == null : a.equals(b);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
