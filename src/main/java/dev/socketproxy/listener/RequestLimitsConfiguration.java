package dev.socketproxy.listener;

import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.socketproxy.access.body.BodyFailureFilter;
import dev.socketproxy.access.body.BrokenBodyGuard;
import dev.socketproxy.config.SocketProxyProperties;

/**
 * Applies {@code socketproxy.limits} to the HTTP server: request line and head sizes in
 * Netty's decoder (414 and 431 beyond them), a deadline for each request head, and a read
 * timeout while a request body is being received (408, see {@link BodyFailureFilter}).
 * Response streams and upgraded connections are not subject to any of them. A body the
 * decoder cannot read fails its request ({@link BrokenBodyGuard}).
 */
@Configuration(proxyBeanMethods = false)
public class RequestLimitsConfiguration {

	private static final String HEAD_DEADLINE_HANDLER = "socketproxy.requestHeadDeadline";

	private static final String BROKEN_BODY_HANDLER = "socketproxy.brokenBodyGuard";

	@Bean
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> requestLimits(SocketProxyProperties properties) {
		SocketProxyProperties.Limits limits = properties.limits();
		return new OrderedCustomizer((factory) -> factory.addServerCustomizers((server) -> server
			.httpRequestDecoder((decoder) -> decoder.maxInitialLineLength((int) limits.maxRequestLine().toBytes())
				.maxHeaderSize((int) limits.maxHeaderSize().toBytes()))
			.readTimeout(limits.bodyReadTimeout())
			.doOnChannelInit((observer, channel, remoteAddress) -> {
				if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
					channel.pipeline()
						.addAfter(NettyPipeline.HttpCodec, HEAD_DEADLINE_HANDLER,
								new RequestHeadDeadline(limits.headerTimeout()))
						.addAfter(NettyPipeline.HttpCodec, BROKEN_BODY_HANDLER, new BrokenBodyGuard());
				}
			})));
	}

	/**
	 * Runs after Spring Boot's own {@code server.netty.*} customizer, so that the limits
	 * here are the ones the decoder uses.
	 */
	private record OrderedCustomizer(WebServerFactoryCustomizer<NettyReactiveWebServerFactory> delegate)
			implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

		@Override
		public void customize(NettyReactiveWebServerFactory factory) {
			this.delegate.customize(factory);
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

}
