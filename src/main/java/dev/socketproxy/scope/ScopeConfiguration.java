package dev.socketproxy.scope;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.socketproxy.labels.DockerEngine;
import dev.socketproxy.labels.EngineEvents;

/**
 * Wires the object scopes' filters and their engine lookups. Which clients have a scope
 * is the rules' business ({@code ClientRules.scope()}), so the filters are always there
 * and pass requests of clients without one; the lookups follow the engine's events only
 * once a scoped client made a lookup.
 */
@Configuration(proxyBeanMethods = false)
public class ScopeConfiguration {

	/** Short enough that an object the events missed is seen anew within seconds. */
	private static final Duration CACHE_TIME = Duration.ofSeconds(5);

	@Bean
	CachedEngineObjects engineObjects(HttpClient unixSocketHttpClient) {
		DockerEngine engine = new DockerEngine(unixSocketHttpClient);
		return new CachedEngineObjects(new EngineLookup(engine),
				(follower) -> new EngineEvents(engine, CachedEngineObjects.FILTERS, follower,
						EngineEvents.resubscribe(Duration.ofSeconds(1), Duration.ofSeconds(30))),
				CACHE_TIME, System::nanoTime);
	}

	@Bean
	public ObjectScopeFilter objectScopeFilter(EngineObjects engineObjects) {
		return new ObjectScopeFilter(engineObjects);
	}

	@Bean
	public ScopedReferencesFilter scopedReferencesFilter(EngineObjects engineObjects) {
		return new ScopedReferencesFilter(engineObjects);
	}

	@Bean
	public VisibleContainersFilter visibleContainersFilter(EngineObjects engineObjects) {
		return new VisibleContainersFilter(engineObjects);
	}

}
