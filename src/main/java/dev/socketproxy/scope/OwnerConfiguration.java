package dev.socketproxy.scope;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what an owner scope rewrites in requests: the owner label at creation and the
 * owner filter of lists, prunes and events. What any scope judges is
 * {@link ScopeConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
public class OwnerConfiguration {

	@Bean
	public OwnerLabelFilter ownerLabelFilter() {
		return new OwnerLabelFilter();
	}

	@Bean
	public OwnerFilterQuery ownerFilterQuery() {
		return new OwnerFilterQuery();
	}

}
