package dev.socketproxy.access;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.access.body.BindMountPolicy;
import dev.socketproxy.access.body.ContainerPolicyChecks;
import dev.socketproxy.access.body.RequestBodyFilter;
import dev.socketproxy.config.SocketProxyProperties;

/** Wires the access decisions from the validated properties. */
@Configuration(proxyBeanMethods = false)
public class AccessConfiguration {

	@Bean
	public ClientAllowlist clientAllowlist(SocketProxyProperties properties) {
		return ClientAllowlist.parse(properties.allowFrom());
	}

	@Bean
	public MethodRules methodRules(SocketProxyProperties properties) {
		return MethodRules.compile(properties.allow());
	}

	@Bean
	public ClientAllowlistFilter clientAllowlistFilter(ClientAllowlist allowlist, SocketProxyProperties properties) {
		return new ClientAllowlistFilter(allowlist, new HostnameAddresses(properties.allowFromDnsTtl()));
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
	public RequestRulesFilter requestRulesFilter(MethodRules rules) {
		return new RequestRulesFilter(rules);
	}

	@Bean
	public RequestBodyFilter requestBodyFilter(SocketProxyProperties properties) {
		return new RequestBodyFilter(new BindMountPolicy(properties.allowBindMountFrom()),
				new ContainerPolicyChecks(properties.containerPolicy()),
				(int) properties.limits().maxInspectedBody().toBytes());
	}

}
