package dev.socketproxy.compat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canary: Spring Cloud Gateway's {@code RemoveHopByHopHeadersFilter} starts with its
 * static default set as its own, and Spring Boot binds
 * {@code ...filter.remove-hop-by-hop.headers} into that set in place. Every later
 * gateway in the same JVM then keeps the changed list: after a test proxy set it to
 * {@code connection,x-internal}, later in-process proxies passed the socket's
 * {@code Transfer-Encoding} on and the docker CLI saw {@code chunked} twice. So a test
 * that sets it puts the defaults back afterwards ({@code FastPathIT}).
 */
class HopByHopDefaultsCanaryTest {

	@Test
	void bindingTheHeadersStillChangesTheGatewaysStaticDefaults() {
		Set<String> defaults = Set.copyOf(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST);
		try {
			Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("hop.headers", "connection")));
			binder.bind("hop", Bindable.ofInstance(new RemoveHopByHopHeadersFilter()));

			assertThat(RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST)
				.as("the gateway no longer shares its defaults: FastPathIT may run that proxy in this JVM")
				.containsExactly("connection");
		}
		finally {
			RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.clear();
			RemoveHopByHopHeadersFilter.HEADERS_REMOVED_ON_REQUEST.addAll(defaults);
		}
	}

}
