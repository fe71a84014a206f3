package dev.socketproxy.access;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
	public RequestRulesFilter requestRulesFilter(MethodRules rules) {
		return new RequestRulesFilter(rules);
	}

}
