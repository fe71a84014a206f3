package dev.socketproxy.access;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.body.ContainerPolicyChecks;
import dev.socketproxy.access.body.RequestBodyFilter;
import dev.socketproxy.config.SocketProxyProperties;

/** Wires the access decisions from the validated properties. */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

	/** The rules of the configuration; a rules file, when given, replaces them before the listener starts. */
	@Bean
	public ActivePolicy activePolicy(SocketProxyProperties properties) {
		return new ActivePolicy(AccessPolicy.compile(properties.allowFrom(), properties.accessRules()));
	}

	@Bean
	public RuleEnforcement ruleEnforcement(SocketProxyProperties properties) {
		return new RuleEnforcement(properties.reportOnly());
	}

	@Bean
	public ClientSelectionFilter clientSelectionFilter(ActivePolicy policy, SocketProxyProperties properties,
			ObjectProvider<DynamicClientRules> dynamic) {
		ClientSelector selector = new ClientSelector(policy, new HostnameAddresses(properties.allowFromDnsTtl()),
				Optional.ofNullable(dynamic.getIfAvailable()));
		return new ClientSelectionFilter(selector, policy, properties.proxySocketEndpoint() != null);
	}

	@Bean
	public RequestHeadFilter requestHeadFilter(SocketProxyProperties properties) {
		return new RequestHeadFilter(new RequestHeadChecks(properties.limits().maxHeaderCount()));
	}

	@Bean
	public RequestTargetFilter requestTargetFilter() {
		return new RequestTargetFilter();
	}

	@Bean
	public RequestRulesFilter requestRulesFilter(RuleEnforcement enforcement) {
		return new RequestRulesFilter(enforcement);
	}

	@Bean
	public RequestBodyFilter requestBodyFilter(SocketProxyProperties properties, RuleEnforcement enforcement) {
		return new RequestBodyFilter(new ContainerPolicyChecks(properties.containerPolicy()), enforcement,
				(int) properties.limits().maxInspectedBody().toBytes());
	}

}
