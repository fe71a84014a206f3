package dev.socketproxy.config;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar socket-proxy.jar --print-config [flags...]}: binds the configuration
 * from every source exactly as a start would, prints it as our YAML on standard output
 * and exits. Only the configuration is bound, so nothing listens and the socket is never
 * touched; a bad value fails with the same one line as a start.
 */
public final class PrintConfigCommand {

	/** The argument that selects this mode; the other arguments configure as usual. */
	public static final String ARGUMENT = "--print-config";

	/** The log would share standard output with the YAML; failures still reach standard error in one line. */
	private static final String QUIET_CONSOLE = "--logging.threshold.console=OFF";

	private PrintConfigCommand() {
	}

	public static boolean isRequested(String[] args) {
		return Arrays.asList(args).contains(ARGUMENT);
	}

	/** The arguments without {@link #ARGUMENT}, for the usual parsing. */
	public static String[] configurationArguments(String[] args) {
		return Arrays.stream(args).filter((arg) -> !arg.equals(ARGUMENT)).toArray(String[]::new);
	}

	/**
	 * Binds and prints the configuration.
	 * @return the process exit code: 0, or that of the failed start
	 */
	public static int run(LegacyArguments legacy, Map<String, String> env, PrintStream out) {
		SpringApplication application = ConfigurationSources.install(new SpringApplication(PropertiesOnly.class),
				legacy, env);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		String[] args = Stream.concat(Arrays.stream(legacy.springArguments()), Stream.of(QUIET_CONSOLE))
			.toArray(String[]::new);
		try (ConfigurableApplicationContext context = application.run(args)) {
			out.print(ConfigurationYaml.document("socketproxy", context.getBean(SocketProxyProperties.class)));
			out.flush();
			return 0;
		}
		catch (RuntimeException ex) {
			return StartupFailures.exitCode(ex);
		}
	}

	/**
	 * Nothing but the bound configuration: no listener, no socket check, no management
	 * server. Not a {@code @Configuration}, so the proxy's component scan never picks it up.
	 */
	@EnableConfigurationProperties(SocketProxyProperties.class)
	static class PropertiesOnly {

	}

}
