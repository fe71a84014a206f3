package dev.socketproxy.listener;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;

/** Binds the proxy's listener to {@code listen-ip}:{@code proxy-port}. */
@Configuration(proxyBeanMethods = false)
public class ListenerConfiguration {

	@Bean
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> proxyListener(SocketProxyProperties properties) {
		return (factory) -> {
			factory.setAddress(properties.listenAddress());
			factory.setPort(properties.proxyPort());
		};
	}

}
