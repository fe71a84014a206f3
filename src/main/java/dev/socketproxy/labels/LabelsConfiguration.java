package dev.socketproxy.labels;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.ActivePolicy;
import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.listener.OnTcpListener;

/**
 * Per-container rules from Docker labels, only when {@code proxy-container-name} is set
 * and the proxy listens on TCP (on a Unix-socket listener there is no client address to
 * look up).
 */
@Configuration(proxyBeanMethods = false)
@Conditional({ OnProxyContainerName.class, OnTcpListener.class })
public class LabelsConfiguration {

	/** A scan is three small engine calls; one that takes longer than this is treated as failed. */
	private static final Duration SCAN_TIMEOUT = Duration.ofSeconds(10);

	@Bean(destroyMethod = "close")
	public LabelledContainers labelledContainers(HttpClient unixSocketHttpClient, SocketProxyProperties properties,
			ActivePolicy policy, MeterRegistry registry) {
		LabelScan scan = new LabelScan(new DockerEngine(unixSocketHttpClient), properties.proxyContainerName(),
				new ContainerLabels(properties.dockerLabelPrefix(), () -> policy.current().defaults()));
		LabelledContainers containers = new LabelledContainers(scan, properties.proxyContainerName(),
				new RescanLimiter(Clock.systemUTC(), properties.labels().rescanInterval()), SCAN_TIMEOUT, registry);
		containers.start();
		return containers;
	}

	@Bean
	public EngineEvents engineEvents(HttpClient unixSocketHttpClient, LabelledContainers containers) {
		return new EngineEvents(new DockerEngine(unixSocketHttpClient), LabelRescans.FILTERS,
				new LabelRescans(containers::rescan), EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(30)));
	}

}
