package dev.socketproxy.listener;

import java.nio.file.Path;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.upstream.FastPath;
import dev.socketproxy.upstream.UnixSocketAddresses;

/**
 * Binds the proxy's listener: to {@code listen-ip}:{@code proxy-port}, or, with
 * {@code proxy-socket-endpoint}, to that Unix socket instead; and sets up each of its
 * client connections ({@link ClientPipeline}).
 */
@Configuration(proxyBeanMethods = false)
public class ListenerConfiguration {

	@Bean
	@Conditional(OnTcpListener.class)
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> tcpListener(SocketProxyProperties properties) {
		return (factory) -> {
			factory.setAddress(properties.listenAddress());
			factory.setPort(properties.proxyPort());
		};
	}

	/**
	 * Every client connection of the proxy's listener gets the {@link ClientPipeline}'s
	 * handlers (a factory customizer, unlike a {@code NettyServerCustomizer} bean, never
	 * reaches the management server).
	 */
	@Bean
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> clientPipeline(SocketProxyProperties properties,
			FastPath fastPath) {
		ClientPipeline pipeline = new ClientPipeline(properties.limits().headerTimeout(), fastPath);
		return (factory) -> factory.addServerCustomizers(
				(server) -> server.doOnChannelInit((observer, channel, address) -> pipeline.install(channel)));
	}

	@Bean
	@Conditional(OnUnixSocketListener.class)
	public UnixSocketListener unixSocketListener(SocketProxyProperties properties) {
		return new UnixSocketListener(Path.of(properties.proxySocketEndpoint()),
				properties.proxySocketEndpointFileModeBits());
	}

	@Bean
	@Conditional(OnUnixSocketListener.class)
	public WebServerFactoryCustomizer<NettyReactiveWebServerFactory> unixSocketListenerBinding(
			UnixSocketListener listener) {
		return (factory) -> factory.addServerCustomizers((server) -> server.bindAddress(() -> {
			listener.removeStaleSocket();
			return UnixSocketAddresses.of(listener.path());
		}).doOnBound((bound) -> listener.restrictAccess()));
	}

}
