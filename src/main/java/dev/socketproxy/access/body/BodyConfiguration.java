package dev.socketproxy.access.body;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.RuleEnforcement;
import dev.socketproxy.config.SocketProxyProperties;

/** Wires the body and query decisions, which follow the admission on the gateway path. */
@Configuration(proxyBeanMethods = false)
public class BodyConfiguration {

	@Bean
	public BodyFailureFilter bodyFailureFilter(SocketProxyProperties properties) {
		return new BodyFailureFilter(properties.limits().bodyReadTimeout());
	}

	@Bean
	public RequestBodyFilter requestBodyFilter(SocketProxyProperties properties, RuleEnforcement enforcement) {
		return new RequestBodyFilter(new ContainerPolicyChecks(properties.containerPolicy()), enforcement,
				(int) properties.limits().maxInspectedBody().toBytes());
	}

	@Bean
	public ImageRequestFilter imageRequestFilter(RuleEnforcement enforcement) {
		return new ImageRequestFilter(enforcement);
	}

}
