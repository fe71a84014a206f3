package dev.socketproxy.access;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.config.SocketProxyProperties;

/** Wires the access decisions from the validated properties. */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

	/** The rules of the configuration; a rules file, when given, replaces them before the listener starts. */
	@Bean
	public ActivePolicy activePolicy(SocketProxyProperties properties) {
		return new ActivePolicy(AccessPolicy.compile(properties.allowFrom(), properties.accessRules(),
				properties.dockerLabelPrefix()));
	}

	/** Learn mode must see what the rules would refuse, so it forwards like report-only mode. */
	@Bean
	public RuleEnforcement ruleEnforcement(SocketProxyProperties properties) {
		return new RuleEnforcement(properties.reportOnly() || properties.learn().enabled());
	}

	@Bean
	public ClientSelector clientSelector(ActivePolicy policy, SocketProxyProperties properties,
			ObjectProvider<DynamicClientRules> dynamic) {
		return new ClientSelector(policy, new HostnameAddresses(properties.allowFromDnsTtl()),
				Optional.ofNullable(dynamic.getIfAvailable()));
	}

	@Bean
	public RequestHeadChecks requestHeadChecks(SocketProxyProperties properties) {
		return new RequestHeadChecks(properties.limits().maxHeaderCount());
	}

	/** One admission for both paths: the gateway's {@link AdmissionFilter} and the fast path. */
	@Bean
	public Admission admission(ClientSelector selector, ActivePolicy policy, RequestHeadChecks checks,
			RuleEnforcement enforcement, SocketProxyProperties properties) {
		return new Admission(selector, policy, checks, properties.proxySocketEndpoint() != null,
				enforcement.reportOnly());
	}

	@Bean
	public AdmissionFilter admissionFilter(Admission admission, RequestRecorder recorder) {
		return new AdmissionFilter(admission, recorder);
	}

}
