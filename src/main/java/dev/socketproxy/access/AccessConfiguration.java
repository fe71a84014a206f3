package dev.socketproxy.access;

import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.body.ContainerPolicyChecks;
import dev.socketproxy.access.body.BodyFailureFilter;
import dev.socketproxy.access.body.ImageRequestFilter;
import dev.socketproxy.access.body.RequestBodyFilter;
import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.redact.RedactEnvFilter;

/** Wires the access decisions from the validated properties. */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

	/** The rules of the configuration; a rules file, when given, replaces them before the listener starts. */
	@Bean
	public ActivePolicy activePolicy(SocketProxyProperties properties) {
		return new ActivePolicy(AccessPolicy.compile(properties.allowFrom(), properties.accessRules()));
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

	@Bean
	public ClientSelectionFilter clientSelectionFilter(ClientSelector selector, ActivePolicy policy,
			SocketProxyProperties properties) {
		return new ClientSelectionFilter(selector, policy, properties.proxySocketEndpoint() != null);
	}

	@Bean
	public RequestHeadFilter requestHeadFilter(RequestHeadChecks checks) {
		return new RequestHeadFilter(checks);
	}

	/** The same decisions as the filters, for requests the fast path forwards without them. */
	@Bean
	public ImmediateAdmission immediateAdmission(ClientSelector selector, RequestHeadChecks checks) {
		return new ImmediateAdmission(selector, checks);
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

	@Bean
	public RedactEnvFilter redactEnvFilter() {
		return new RedactEnvFilter();
	}

}
