package dev.socketproxy.listener;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import dev.socketproxy.access.body.BodyFailureFilter;
import dev.socketproxy.config.SocketProxyProperties;

/**
 * Applies {@code socketproxy.limits} to the HTTP server: request line and head sizes in
 * Netty's decoder (414 and 431 beyond them) and a read timeout while a request body is
 * being received (408, see {@link BodyFailureFilter}). The deadline for each request head
 * is a handler of the {@link ClientPipeline}. Response streams and upgraded connections
 * are not subject to any of them.
 */
@Configuration(proxyBeanMethods = false)
public class RequestLimitsConfiguration {

	@Bean
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> requestLimits(SocketProxyProperties properties) {
		SocketProxyProperties.Limits limits = properties.limits();
		return new OrderedCustomizer((factory) -> factory.addServerCustomizers((server) -> server
			.httpRequestDecoder((decoder) -> decoder.maxInitialLineLength((int) limits.maxRequestLine().toBytes())
				.maxHeaderSize((int) limits.maxHeaderSize().toBytes()))
			.readTimeout(limits.bodyReadTimeout())));
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
