package dev.socketproxy.upstream;

import java.time.Duration;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.BoundedBody;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.metrics.HijackedConnections;

/**
 * Hands an allowed request that switches protocols to the {@link UpgradeTunnel} instead
 * of the gateway's routing, which would strip {@code Connection}/{@code Upgrade} and lose
 * the raw bytes after the {@code 101}. Which requests switch is decided once, by the
 * {@link UpgradeRequestGuard} that stopped HTTP decoding after them.
 */
public class UpgradeTunnelFilter implements GlobalFilter, Ordered {

	/** Docker's upgrade requests carry at most a small JSON body ({@code exec/{id}/start}). */
	static final int MAX_BODY_BYTES = 1024 * 1024;

	static final Denial BODY_TOO_LARGE = new Denial(HttpStatus.CONTENT_TOO_LARGE, "upgrade request body too large",
			"Content Too Large");

	private final UpgradeTunnel tunnel;

	private final HijackedConnections hijackedConnections;

	private final HopByHopHeaders hopByHop;

	UpgradeTunnelFilter(UpgradeTunnel tunnel, HijackedConnections hijackedConnections, HopByHopHeaders hopByHop) {
		this.tunnel = tunnel;
		this.hijackedConnections = hijackedConnections;
		this.hopByHop = hopByHop;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		Channel client = upgradingChannel(request);
		if (client == null) {
			return chain.filter(exchange);
		}
		return BoundedBody.read(request, MAX_BODY_BYTES)
			.flatMap((body) -> timed(request.getMethod().name(),
					this.tunnel.send(client, UpgradeRequestEncoder.encode(request, body))))
			.flatMap((answer) -> (answer instanceof UpgradeAnswer.Switched switched) ? hijack(client, switched)
					: relay(exchange, ((UpgradeAnswer.Answered) answer).response()))
			.onErrorResume(DataBufferLimitException.class, (ex) -> DenialResponse.send(exchange, BODY_TOO_LARGE));
	}

	/** Times the engine's answer like the routing's, from sending the request until its head is read. */
	private Mono<UpgradeAnswer> timed(String method, Mono<UpgradeAnswer> answer) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return answer.doOnNext((received) -> this.hijackedConnections.answered(method, status(received),
					Duration.ofNanos(System.nanoTime() - start)))
				.doOnError((ex) -> this.hijackedConnections.failed(method, ex));
		});
	}

	private static int status(UpgradeAnswer answer) {
		return (answer instanceof UpgradeAnswer.Answered answered) ? answered.response().status().code()
				: HttpStatus.SWITCHING_PROTOCOLS.value();
	}

	/** Counts the connection as hijacked from the moment it leaves HTTP until both sides are closed. */
	private Mono<Void> hijack(Channel client, UpgradeAnswer.Switched switched) {
		this.hijackedConnections.opened();
		return this.tunnel.splice(client, switched).doFinally((signal) -> this.hijackedConnections.closed());
	}

	/**
	 * Passes on an answer other than {@code 101} as the ordinary response it is; the
	 * {@link UpgradeRequestGuard} makes it the connection's last.
	 */
	private Mono<Void> relay(ServerWebExchange exchange, FullHttpResponse answer) {
		try {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatusCode.valueOf(answer.status().code()));
			HttpHeaders headers = answer.headers();
			this.hopByHop.removeFromResponse(headers);
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
			headers.forEach((header) -> response.getHeaders().add(header.getKey(), header.getValue()));
			byte[] body = ByteBufUtil.getBytes(answer.content());
			response.getHeaders().setContentLength(body.length);
			return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
		}
		finally {
			answer.release();
		}
	}

	/** The client's connection if this request switches protocols after it, else {@code null}. */
	private static Channel upgradingChannel(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		if (!(nativeRequest instanceof HttpServerRequest serverRequest) || !(nativeRequest instanceof Connection connection)) {
			return null;
		}
		Channel channel = connection.channel();
		UpgradeRequestGuard guard = channel.pipeline().get(UpgradeRequestGuard.class);
		return (guard != null && guard.isUpgradeRequest(serverRequest.requestHeaders())) ? channel : null;
	}

	@Override
	public int getOrder() {
		return GatewayExchange.UPGRADE_TUNNEL;
	}

}
