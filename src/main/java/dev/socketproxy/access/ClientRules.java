package dev.socketproxy.access;

/**
 * The rules one client is judged by.
 *
 * @param name the profile (or labelled container) the rules come from, for logs;
 * {@code default} for the rules of {@code allow-from}
 * @param rules which methods and paths pass
 * @param bindMounts where bind-mount sources may lie
 */
public record ClientRules(String name, MethodRules rules, BindMountPolicy bindMounts) {

	/** Name of the rules for clients in {@code allow-from}. */
	public static final String DEFAULT_NAME = "default";

}
