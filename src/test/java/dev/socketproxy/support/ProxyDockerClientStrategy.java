package dev.socketproxy.support;

import java.net.URI;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * Points Testcontainers at a proxy under test. Testcontainers finds its Docker host once
 * per JVM, through strategies loaded with {@link java.util.ServiceLoader} (this one is
 * listed in {@code META-INF/services}); a test calls {@link #use(URI)} before its first
 * container, since the proxy's port is only known once it runs. Until then this strategy
 * does not apply. It is never written to {@code ~/.testcontainers.properties}.
 */
public final class ProxyDockerClientStrategy extends DockerClientProviderStrategy {

	private static volatile URI dockerHost;

	/** Sends every Testcontainers call of this JVM to {@code host}, e.g. {@code tcp://127.0.0.1:PORT}. */
	public static void use(URI host) {
		dockerHost = host;
	}

	@Override
	public String getDescription() {
		return "socket-proxy under test at " + dockerHost;
	}

	@Override
	public TransportConfig getTransportConfig() {
		return TransportConfig.builder().dockerHost(dockerHost).build();
	}

	@Override
	protected boolean isApplicable() {
		return dockerHost != null;
	}

	@Override
	protected boolean isPersistable() {
		return false;
	}

	/** Ahead of the Unix-socket and Docker Desktop strategies, which would go around the proxy. */
	@Override
	protected int getPriority() {
		return Integer.MAX_VALUE;
	}

	/** No {@code TESTCONTAINERS_HOST_OVERRIDE}: containers are on this machine. */
	@Override
	public boolean allowUserOverrides() {
		return false;
	}

}
