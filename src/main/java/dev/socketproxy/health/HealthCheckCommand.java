package dev.socketproxy.health;

import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

import dev.socketproxy.config.SocketProxyProperties.Management;

/**
 * {@code java -jar socket-proxy.jar --healthcheck[=URL]}: asks a running proxy's health
 * endpoint and exits 0 when it answers 200, 1 otherwise. It is the image's
 * {@code HEALTHCHECK}, so the image needs neither curl nor a shell, and it runs without
 * starting Spring: one request from {@code java.base}, then exit.
 */
public final class HealthCheckCommand {

	/** The argument that selects this mode instead of running the proxy. */
	public static final String ARGUMENT = "--healthcheck";

	private static final int TIMEOUT_MILLIS = 5000;

	private HealthCheckCommand() {
	}

	public static boolean isRequested(String[] args) {
		return args.length == 1 && (args[0].equals(ARGUMENT) || args[0].startsWith(ARGUMENT + "="));
	}

	/**
	 * Runs the check. The URL is the argument's value, or the reference's health path on
	 * the loopback address and the management port from {@code SOCKETPROXY_MANAGEMENT_PORT}.
	 * @return the process exit code
	 */
	public static int run(String argument, Map<String, String> env, PrintStream out) {
		String url = argument.startsWith(ARGUMENT + "=") ? argument.substring(ARGUMENT.length() + 1)
				: "http://127.0.0.1:" + env.getOrDefault("SOCKETPROXY_MANAGEMENT_PORT", Management.DEFAULT_PORT) + "/health";
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
			connection.setConnectTimeout(TIMEOUT_MILLIS);
			connection.setReadTimeout(TIMEOUT_MILLIS);
			connection.setRequestMethod("HEAD");
			int status = connection.getResponseCode();
			connection.disconnect();
			out.println("socket-proxy: health check " + url + ": " + status);
			return (status == 200) ? 0 : 1;
		}
		catch (IOException | IllegalArgumentException ex) {
			out.println("socket-proxy: health check " + url + ": " + ex);
			return 1;
		}
	}

}
