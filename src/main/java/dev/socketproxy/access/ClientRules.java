package dev.socketproxy.access;

import java.util.Optional;

/**
 * The rules one client is judged by.
 *
 * @param name the profile (or labelled container) the rules come from, for logs;
 * {@code default} for the rules of {@code allow-from}
 * @param rules which methods and paths pass
 * @param bindMounts where bind-mount sources may lie
 * @param images which images requests may name
 * @param redactEnv whether environment values and config data are removed from inspect answers
 * @param scope which objects the client may see and touch
 */
public record ClientRules(String name, MethodRules rules, BindMountPolicy bindMounts, ImagePolicy images,
		boolean redactEnv, ObjectScope scope) {

	/** Name of the rules for clients in {@code allow-from}. */
	public static final String DEFAULT_NAME = "default";

	/**
	 * The redacted endpoint a request for {@code canonicalPath} is for, if these rules
	 * redact its answer: such a request must take no path that forwards without the
	 * redaction (the fast path).
	 */
	public Optional<RedactedEndpoint> redacted(String canonicalPath) {
		return this.redactEnv ? RedactedEndpoint.of(canonicalPath) : Optional.empty();
	}

	/**
	 * Whether a request for {@code canonicalPath} must go through the gateway, never the
	 * fast path: its answer is redacted ({@link #redacted}), or the object scope covers it
	 * ({@link ObjectScope#covers}) and the gateway's scope filters must see it.
	 */
	public boolean gatewayOnly(String canonicalPath) {
		return redacted(canonicalPath).isPresent() || this.scope.covers(canonicalPath);
	}

}
