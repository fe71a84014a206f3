package dev.socketproxy.access;

import dev.socketproxy.access.body.BindMountPolicy;
import dev.socketproxy.access.body.ImagePolicy;

/**
 * The rules one client is judged by.
 *
 * @param name the profile (or labelled container) the rules come from, for logs;
 * {@code default} for the rules of {@code allow-from}
 * @param rules which methods and paths pass
 * @param bindMounts where bind-mount sources may lie
 * @param images which images requests may name
 * @param redactEnv whether environment values and config data are removed from inspect answers
 */
public record ClientRules(String name, MethodRules rules, BindMountPolicy bindMounts, ImagePolicy images,
		boolean redactEnv) {

	/** Exchange attribute holding the {@link ClientRules} chosen for the request's client. */
	public static final String ATTRIBUTE = ClientRules.class.getName();

	/** Name of the rules for clients in {@code allow-from}. */
	public static final String DEFAULT_NAME = "default";

	/** Rules without image restriction or redaction. */
	public ClientRules(String name, MethodRules rules, BindMountPolicy bindMounts) {
		this(name, rules, bindMounts, ImagePolicy.NONE, false);
	}

}
