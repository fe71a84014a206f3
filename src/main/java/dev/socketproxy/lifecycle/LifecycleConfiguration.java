package dev.socketproxy.lifecycle;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.health.SocketCheck;

/** The socket watchdog. */
@Configuration(proxyBeanMethods = false)
public class LifecycleConfiguration {

	@Bean
	public SocketWatchdog socketWatchdog(SocketProxyProperties properties, SocketCheck socketCheck,
			ConfigurableApplicationContext context) {
		return new SocketWatchdog(socketCheck, properties.watchdogInterval(), properties.stopOnWatchdog(),
				new ProcessExit(context));
	}

}
