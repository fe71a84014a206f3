package dev.socketproxy.scope;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires what an owner scope judges and rewrites in requests besides the object in their
 * path ({@link ScopeConfiguration}'s): the objects a body or query names, the owner label
 * at creation and the owner filter of lists.
 */
@Configuration(proxyBeanMethods = false)
public class OwnerConfiguration {

	@Bean
	public OwnedReferencesFilter ownedReferencesFilter(EngineObjects engineObjects) {
		return new OwnedReferencesFilter(engineObjects);
	}

	@Bean
	public OwnerLabelFilter ownerLabelFilter() {
		return new OwnerLabelFilter();
	}

	@Bean
	public OwnerFilterQuery ownerFilterQuery() {
		return new OwnerFilterQuery();
	}

}
