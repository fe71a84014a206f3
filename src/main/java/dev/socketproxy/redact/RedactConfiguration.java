package dev.socketproxy.redact;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires {@code redact-env}'s answer rewriting; which clients and endpoints it covers is
 * decided in {@code access} ({@code ClientRules.redacted}), where the fast path asks too.
 */
@Configuration(proxyBeanMethods = false)
public class RedactConfiguration {

	@Bean
	public RedactEnvFilter redactEnvFilter() {
		return new RedactEnvFilter();
	}

}
