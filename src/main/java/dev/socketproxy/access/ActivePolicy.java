package dev.socketproxy.access;

import java.util.concurrent.atomic.AtomicReference;

/** The policy in force; replaced whole when the rules file changes. */
public final class ActivePolicy {

	private final AtomicReference<AccessPolicy> current;

	public ActivePolicy(AccessPolicy initial) {
		this.current = new AtomicReference<>(initial);
	}

	public AccessPolicy current() {
		return this.current.get();
	}

	public void replace(AccessPolicy policy) {
		this.current.set(policy);
	}

}
