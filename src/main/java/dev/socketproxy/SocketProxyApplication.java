package dev.socketproxy;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.socketproxy.config.ConfigurationSources;
import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.LegacyArguments;
import dev.socketproxy.config.PrintConfigCommand;
import dev.socketproxy.config.StartupFailures;
import dev.socketproxy.health.HealthCheckCommand;
import dev.socketproxy.lifecycle.ExitOnSignal;

/**
 * socket-proxy: an allowlisting HTTP proxy in front of a Unix socket. Accepts the
 * reference proxy's flags and {@code SP_*} variables as well as Spring Boot's own
 * configuration; a failed start prints one line and exits non-zero. With the single
 * argument {@code --healthcheck} it only asks a running proxy whether it is healthy; with
 * {@code --print-config} it prints the configuration it would run with and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SocketProxyApplication {

	public static void main(String[] args) {
		if (HealthCheckCommand.isRequested(args)) {
			System.exit(HealthCheckCommand.run(args[0], System.getenv(), System.out));
			return;
		}
		boolean printConfig = PrintConfigCommand.isRequested(args);
		LegacyArguments legacy;
		try {
			legacy = LegacyArguments.parse(PrintConfigCommand.configurationArguments(args), System.getenv());
		}
		catch (InvalidConfigurationException ex) {
			System.err.println("socket-proxy: " + StartupFailures.describe(ex, null));
			System.exit(StartupFailures.BAD_CONFIGURATION);
			return;
		}
		if (printConfig) {
			System.exit(PrintConfigCommand.run(legacy, System.getenv(), System.out));
			return;
		}
		ExitOnSignal.install();
		try {
			application(legacy, System.getenv()).run(legacy.springArguments());
		}
		catch (RuntimeException ex) {
			System.exit(StartupFailures.exitCode(ex));
		}
	}

	/**
	 * The application with the reference's flags and variables and a migration preset
	 * (its switches read from {@code env}) installed as property sources.
	 */
	public static SpringApplication application(LegacyArguments legacy, Map<String, String> env) {
		return ConfigurationSources.install(new SpringApplication(SocketProxyApplication.class), legacy, env);
	}

}
