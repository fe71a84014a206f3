package dev.socketproxy.health;

import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * The {@code socket} health component: UP while the socket answers a {@link SocketCheck},
 * DOWN otherwise, with what was tried as details.
 */
public class SocketHealthIndicator implements ReactiveHealthIndicator {

	private final SocketCheck check;

	public SocketHealthIndicator(SocketCheck check) {
		this.check = check;
	}

	@Override
	public Mono<Health> health() {
		return this.check.check().map(this::toHealth);
	}

	private Health toHealth(SocketStatus status) {
		Health.Builder health = status.up() ? Health.up() : Health.down();
		health.withDetail("socket", this.check.socket().toString()).withDetail("check", status.check());
		if (status.httpStatus() != 0) {
			health.withDetail("httpStatus", status.httpStatus());
		}
		if (status.error() != null) {
			health.withDetail("error", status.error());
		}
		return health.withDetail("elapsedMillis", status.elapsed().toMillis()).build();
	}

}
