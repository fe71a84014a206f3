package dev.socketproxy.support;

import java.time.Duration;
import java.util.function.Consumer;

import io.netty.channel.ChannelPipeline;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * One gateway filter in front of the rest of a chain, on a real Reactor Netty server on a
 * free TCP port, without a Spring context: for what a {@code MockServerWebExchange}
 * cannot show, since it has no client connection (a filter that takes the connection
 * over, or closes it).
 */
public final class FilterServer implements AutoCloseable {

	// Own event loops: the proxy under test in another test disposes Reactor Netty's global ones.
	private final LoopResources loops = LoopResources.create("filter-server", 1, true);

	private final DisposableServer server;

	private FilterServer(GlobalFilter filter, GatewayFilterChain rest, Consumer<ChannelPipeline> pipeline) {
		HttpHandler handler = WebHttpHandlerBuilder.webHandler((exchange) -> filter.filter(exchange, rest)).build();
		this.server = HttpServer.create()
			.runOn(this.loops)
			.host("127.0.0.1")
			.port(0)
			.doOnChannelInit((observer, channel, address) -> pipeline.accept(channel.pipeline()))
			.handle(new ReactorHttpHandlerAdapter(handler))
			.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Starts the server.
	 * @param filter the filter under test
	 * @param rest what the filter's chain goes on with
	 * @param pipeline adds the handlers the filter relies on to each connection's pipeline
	 * (after {@code NettyPipeline.HttpCodec}), as the proxy's customizers do
	 */
	public static FilterServer start(GlobalFilter filter, GatewayFilterChain rest, Consumer<ChannelPipeline> pipeline) {
		return new FilterServer(filter, rest, pipeline);
	}

	public int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
	}

}
