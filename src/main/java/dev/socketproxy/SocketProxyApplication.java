package dev.socketproxy;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import dev.socketproxy.access.JvmAddressCache;
import dev.socketproxy.config.ConfigurationSources;
import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.LegacyArguments;
import dev.socketproxy.config.PrintConfigCommand;
import dev.socketproxy.config.StartupFailures;
import dev.socketproxy.health.HealthCheckCommand;
import dev.socketproxy.lifecycle.ExitOnSignal;
import dev.socketproxy.upstream.EventLoopCount;

/**
 * socket-proxy: an allowlisting HTTP proxy in front of a Unix socket. Accepts the
 * reference proxy's flags and {@code SP_*} variables as well as Spring Boot's own
 * configuration; a failed start prints one line and exits non-zero. With the single
 * argument {@code --healthcheck} it only asks a running proxy whether it is healthy; with
 * {@code --print-config} it prints the configuration it would run with and exits.
 */
@SpringBootApplication(excludeName = {
		// Spring Cloud's client side (discovery, load balancing, service registry, the refresh
		// scope and its endpoints, the version check): the one route goes to a fixed socket and
		// no bean is refreshable. Each costs startup time (bench/run, docs/performance-history.md).
		"org.springframework.cloud.autoconfigure.ConfigurationPropertiesRebinderAutoConfiguration",
		"org.springframework.cloud.autoconfigure.LifecycleMvcEndpointAutoConfiguration",
		"org.springframework.cloud.autoconfigure.RefreshAutoConfiguration",
		"org.springframework.cloud.autoconfigure.RefreshEndpointAutoConfiguration",
		"org.springframework.cloud.autoconfigure.WritableEnvironmentEndpointAutoConfiguration",
		"org.springframework.cloud.client.CommonsClientAutoConfiguration",
		"org.springframework.cloud.client.ReactiveCommonsClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.hypermedia.CloudHypermediaAutoConfiguration",
		"org.springframework.cloud.client.loadbalancer.LoadBalancerAutoConfiguration",
		"org.springframework.cloud.client.loadbalancer.LoadBalancerDefaultMappingsProviderAutoConfiguration",
		"org.springframework.cloud.client.loadbalancer.reactive.LoadBalancerBeanPostProcessorAutoConfiguration",
		"org.springframework.cloud.client.loadbalancer.reactive.ReactorLoadBalancerClientAutoConfiguration",
		"org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration",
		"org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration",
		"org.springframework.cloud.commons.config.CommonsConfigAutoConfiguration",
		"org.springframework.cloud.commons.security.ResourceServerTokenRelayAutoConfiguration",
		"org.springframework.cloud.commons.util.UtilAutoConfiguration",
		"org.springframework.cloud.configuration.CompatibilityVerifierAutoConfiguration",
		"org.springframework.cloud.gateway.config.GatewayClassPathWarningAutoConfiguration",
		"org.springframework.cloud.gateway.config.GatewayNoLoadBalancerClientAutoConfiguration",
		"org.springframework.cloud.gateway.discovery.GatewayDiscoveryClientAutoConfiguration",
		// Spring Boot parts nothing here uses: no @Async, @Scheduled, AOP advice, method
		// validation, blocking or WebClient HTTP clients, sessions or multipart requests.
		// Configuration properties are still validated: the binder has its own validator.
		"org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
		"org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.metrics.HttpClientMetricsAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
		"org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration",
		"org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration",
		"org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.ReactiveMultipartAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration" })
@ConfigurationPropertiesScan
public class SocketProxyApplication {

	public static void main(String[] args) {
		// Before anything resolves a name: the allowlist's cache is the only DNS cache.
		JvmAddressCache.disable();
		// Before Reactor Netty's loops exist: they read their count once.
		EventLoopCount.onePerProcessor();
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
