package dev.socketproxy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.socketproxy.SocketProxyApplication;
import dev.socketproxy.config.LegacyArguments;

/**
 * The real application, started in this JVM through the same entry point as
 * {@code main} (reference flags included) on a free TCP port. Cheaper than a process,
 * for the many tests that only need the proxy to answer.
 */
public final class RunningProxy implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final HttpClient client = HttpClient.newHttpClient();

	private RunningProxy(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Starts with the given reference-style flags (and {@code --property=} arguments), on a free port. */
	public static RunningProxy start(String... args) {
		return start(Map.of(), args);
	}

	/** Starts with {@code env} as the {@code SP_*} variables the reference would read (and a preset's switches). */
	public static RunningProxy start(Map<String, String> env, String... args) {
		List<String> all = new ArrayList<>(List.of(args));
		if (all.stream().noneMatch((arg) -> arg.startsWith("-proxyport"))) {
			all.add("-proxyport=" + freePort());
		}
		LegacyArguments legacy = LegacyArguments.parse(all.toArray(String[]::new), env);
		return new RunningProxy(SocketProxyApplication.application(legacy, env).run(legacy.springArguments()));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public URI uri(String pathAndQuery) {
		return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
	}

	/** Sends a bodiless request and returns the status the proxy answered with. */
	public int status(String method, String path) {
		try {
			return this.client
				.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
						HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** {@code DOCKER_HOST} for a docker client that talks to this proxy. */
	public String dockerHost() {
		return "tcp://127.0.0.1:" + port();
	}

	/** How many requests were refused with this {@code reason} tag so far. */
	public double deniedCount(String reason) {
		return context().getBean(MeterRegistry.class)
			.get("socketproxy.requests")
			.tag("decision", "denied")
			.tag("reason", reason)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

	/** A TCP port that was free a moment ago. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
