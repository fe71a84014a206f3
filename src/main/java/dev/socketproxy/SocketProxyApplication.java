package dev.socketproxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.LegacyArguments;
import dev.socketproxy.config.LegacyPropertySources;
import dev.socketproxy.config.StartupFailures;
import dev.socketproxy.health.HealthCheckCommand;
import dev.socketproxy.lifecycle.ExitOnSignal;

/**
 * socket-proxy: an allowlisting HTTP proxy in front of a Unix socket. Accepts the
 * reference proxy's flags and {@code SP_*} variables as well as Spring Boot's own
 * configuration; a failed start prints one line and exits non-zero. With the single
 * argument {@code --healthcheck} it only asks a running proxy whether it is healthy.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SocketProxyApplication {

	public static void main(String[] args) {
		if (HealthCheckCommand.isRequested(args)) {
			System.exit(HealthCheckCommand.run(args[0], System.getenv(), System.out));
			return;
		}
		LegacyArguments legacy;
		try {
			legacy = LegacyArguments.parse(args, System.getenv());
		}
		catch (InvalidConfigurationException ex) {
			System.err.println("socket-proxy: " + StartupFailures.describe(ex, null));
			System.exit(StartupFailures.BAD_CONFIGURATION);
			return;
		}
		ExitOnSignal.install();
		try {
			application(legacy).run(legacy.springArguments());
		}
		catch (RuntimeException ex) {
			System.exit(StartupFailures.exitCode(ex));
		}
	}

	/** The application with the reference's flags and variables installed as property sources. */
	public static SpringApplication application(LegacyArguments legacy) {
		SpringApplication application = new SpringApplication(SocketProxyApplication.class);
		application.addListeners(new LegacyPropertySources(legacy));
		return application;
	}

}
