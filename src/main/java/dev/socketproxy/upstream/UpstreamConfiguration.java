package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.RequestRecorder;
import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.metrics.HijackedConnections;

/**
 * One route that takes every request to the Unix socket, with the client's Host header
 * kept as it was sent; requests that switch protocols go through a tunnel instead.
 */
@Configuration(proxyBeanMethods = false)
public class UpstreamConfiguration {

	/** The route's URI host is never dialed: the connection provider substitutes the socket. */
	static final String ROUTE_URI = "http://unix-socket";

	private static final String GATEWAY = "spring.cloud.gateway.server.webflux.";

	@Bean
	public HttpClientFactory unixSocketHttpClientFactory(SocketProxyProperties properties,
			HttpClientProperties httpClientProperties, ServerProperties serverProperties,
			HttpClientSslConfigurer sslConfigurer, List<HttpClientCustomizer> customizers) {
		return new UnixSocketHttpClientFactory(UnixSocketAddresses.of(Path.of(properties.socketPath())),
				httpClientProperties, serverProperties, sslConfigurer, customizers);
	}

	@Bean
	public RouteLocator unixSocketRoute(RouteLocatorBuilder routes) {
		return routes.routes()
			.route("unix-socket", (route) -> route.alwaysTrue().filters((f) -> f.preserveHostHeader()).uri(ROUTE_URI))
			.build();
	}

	@Bean
	BodilessRequestLength bodilessRequestLength() {
		return new BodilessRequestLength();
	}

	@Bean
	public UpstreamOutageLog upstreamOutageLog(SocketProxyProperties properties) {
		return new UpstreamOutageLog(Path.of(properties.socketPath()));
	}

	@Bean
	public SocketUnreachableFilter socketUnreachableFilter(UpstreamOutageLog outage) {
		return new SocketUnreachableFilter(outage);
	}

	@Bean
	public EarlyResponseHeadersFilter earlyResponseHeadersFilter() {
		return new EarlyResponseHeadersFilter();
	}

	@Bean
	public UpgradeTunnelFilter upgradeTunnelFilter(SocketProxyProperties properties,
			HijackedConnections hijackedConnections, HopByHopHeaders hopByHopHeaders) {
		return new UpgradeTunnelFilter(new UpgradeTunnel(Path.of(properties.socketPath())), hijackedConnections,
				hopByHopHeaders);
	}

	@Bean
	HopByHopHeaders hopByHopHeaders(RemoveHopByHopHeadersFilter gatewayFilter) {
		return new HopByHopHeaders(gatewayFilter);
	}

	/**
	 * The fast path for the proxy's listener (see {@code ClientPipeline}). Learn mode must
	 * see every request, so it goes without; so does a gateway told to add proxy headers,
	 * which the fast path does not add.
	 */
	@Bean
	public FastPath fastPath(SocketProxyProperties properties, Admission admission, RequestRecorder recorder,
			FastPathShutdown shutdown, HopByHopHeaders hopByHop, Environment environment) {
		// The gateway adds them only for trusted proxies, and only when one of the two is on.
		boolean proxyHeaders = environment.containsProperty(GATEWAY + "trusted-proxies")
				&& (environment.getProperty(GATEWAY + "x-forwarded.enabled", Boolean.class, false)
						|| environment.getProperty(GATEWAY + "forwarded.enabled", Boolean.class, false));
		boolean enabled = properties.fastPath() && !properties.learn().enabled()
				&& properties.proxySocketEndpoint() == null && !proxyHeaders;
		return new FastPath(enabled, admission, Path.of(properties.socketPath()), recorder, shutdown,
				hopByHop);
	}

	@Bean
	FastPathShutdown fastPathShutdown(SocketProxyProperties properties) {
		return new FastPathShutdown(properties.shutdownGraceTime());
	}

	@Bean
	public SocketStartupCheck socketStartupCheck(SocketProxyProperties properties) {
		return new SocketStartupCheck(Path.of(properties.socketPath()));
	}

}
