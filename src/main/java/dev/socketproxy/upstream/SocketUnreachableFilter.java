package dev.socketproxy.upstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.GatewayExchange;

/**
 * Answers 502 with a short plain-text body when the socket cannot be reached for an
 * allowed request, and tells the {@link UpstreamOutageLog}: the socket being gone is an
 * operator's problem, not a client's. The next request dials again, so the proxy
 * recovers by itself.
 */
public class SocketUnreachableFilter implements GlobalFilter, Ordered {

	private static final byte[] BODY = "Bad Gateway: socket unreachable\n".getBytes(StandardCharsets.UTF_8);

	private final UpstreamOutageLog outage;

	public SocketUnreachableFilter(UpstreamOutageLog outage) {
		this.outage = outage;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return chain.filter(exchange).onErrorResume((ex) -> isUnreachable(ex) && !exchange.getResponse().isCommitted(),
				(ex) -> badGateway(exchange, ex));
	}

	private Mono<Void> badGateway(ServerWebExchange exchange, Throwable ex) {
		this.outage.failed(exchange.getRequest(), ex);
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.BAD_GATEWAY);
		response.getHeaders().setContentType(MediaType.TEXT_PLAIN);
		DataBuffer body = response.bufferFactory().wrap(BODY);
		return response.writeWith(Mono.just(body));
	}

	private static boolean isUnreachable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public int getOrder() {
		return GatewayExchange.SOCKET_UNREACHABLE;
	}

}
