package dev.socketproxy.upstream;

import java.net.SocketAddress;
import java.util.List;

import reactor.netty.NettyPipeline;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;

import dev.socketproxy.compat.Http11RequestLine;

/**
 * The gateway's HTTP client, bound to the Unix socket. Everything else about the client
 * (pool settings, header size limits) stays the gateway's; on the NIO transport its
 * requests get {@link Http11RequestLine}.
 */
public class UnixSocketHttpClientFactory extends HttpClientFactory {

	private final SocketAddress socket;

	public UnixSocketHttpClientFactory(SocketAddress socket, HttpClientProperties properties,
			ServerProperties serverProperties, HttpClientSslConfigurer sslConfigurer,
			List<HttpClientCustomizer> customizers) {
		super(properties, serverProperties, sslConfigurer, customizers);
		this.socket = socket;
	}

	@Override
	protected HttpClient createInstance() {
		return super.createInstance().doOnChannelInit((observer, channel, address) -> {
			if (!UnixSocketAddresses.isEpoll(channel) && channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, Http11RequestLine.NAME, Http11RequestLine.INSTANCE);
			}
		});
	}

	@Override
	protected ConnectionProvider buildConnectionProvider(HttpClientProperties properties) {
		return new UnixSocketConnectionProvider(super.buildConnectionProvider(properties), this.socket);
	}

}
