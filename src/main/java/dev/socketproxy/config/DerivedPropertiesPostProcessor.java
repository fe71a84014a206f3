package dev.socketproxy.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.socketproxy.config.SocketProxyProperties.Management;

/**
 * Derives Spring Boot's own settings (log levels, JSON logging, graceful shutdown, the
 * management server) from our {@code socketproxy.*} keys. It has to run before logging starts, which is earlier
 * than any bean can, and after the config files are read, so it is an environment post
 * processor ordered last. It never fails: values it cannot use are left for
 * {@link SocketProxyProperties} to reject once logging is up, so the rejection is one line.
 */
public class DerivedPropertiesPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE_NAME = "socketProxyDerived";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Map<String, Object> derived = new LinkedHashMap<>();
		String level = environment.getProperty("socketproxy.log-level", SocketProxyProperties.DEFAULT_LOG_LEVEL)
			.toUpperCase(Locale.ROOT);
		if (SocketProxyProperties.LOG_LEVELS.contains(level)) {
			derived.put("logging.level.root", level.equals("DEBUG") ? "INFO" : level);
			derived.put("logging.level.dev.socketproxy", level);
		}
		if ("true".equalsIgnoreCase(environment.getProperty("socketproxy.log-json"))) {
			derived.put("logging.structured.format.console", "ecs");
		}
		derived.put("server.shutdown", "graceful");
		derived.put("spring.lifecycle.timeout-per-shutdown-phase",
				environment.getProperty("socketproxy.shutdown-grace-time", SocketProxyProperties.DEFAULT_SHUTDOWN_GRACE_TIME));
		deriveManagementServer(environment, derived);
		environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, derived));
	}

	/**
	 * The management server runs only with {@code allow-health-check}, on its own address
	 * and port. {@code server.port} mirrors the proxy port because Actuator compares the
	 * two to decide whether the endpoints get a listener of their own; equal ports are
	 * refused by {@link SocketProxyProperties}, so Actuator never joins the proxy's listener.
	 */
	private static void deriveManagementServer(ConfigurableEnvironment environment, Map<String, Object> derived) {
		String proxyPort = environment.getProperty("socketproxy.proxy-port", SocketProxyProperties.DEFAULT_PROXY_PORT);
		if (proxyPort.matches("[0-9]{1,5}")) {
			derived.put("server.port", proxyPort);
		}
		String managementPort = environment.getProperty("socketproxy.management.port", Management.DEFAULT_PORT);
		String managementAddress = environment.getProperty("socketproxy.management.address", Management.DEFAULT_ADDRESS);
		boolean enabled = "true".equalsIgnoreCase(environment.getProperty("socketproxy.allow-health-check"));
		if (enabled && managementPort.matches("[0-9]{1,5}") && IpLiterals.isIpLiteral(managementAddress)) {
			derived.put("management.server.port", managementPort);
			derived.put("management.server.address", managementAddress);
		}
		else {
			derived.put("management.server.port", "-1");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
