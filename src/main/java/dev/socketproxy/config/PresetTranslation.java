package dev.socketproxy.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.origin.OriginTrackedValue;

/**
 * Translates the environment switches of Tecnativa's and linuxserver's docker-socket-proxy
 * ({@code CONTAINERS=1}, {@code POST=1}, {@code ALLOW_START=1}, ...) into our per-method
 * rules, so a compose file written for either keeps letting the same requests through.
 * <p>
 * Both peers match {@code ^(/v[\d.]+)?/<section>} as a prefix of the decoded path; here
 * a section becomes {@code (/v[0-9.]+)?/<section>(/.*)?} matched against the whole path,
 * which covers every engine endpoint of the section and nothing that merely starts with
 * its name. Without {@code POST=1} both peers let only GET and HEAD through. The one
 * difference between them: linuxserver judges its {@code ALLOW_*} container actions
 * before the method check, so they pass without {@code POST=1}; Tecnativa checks the
 * method first, so there they need {@code POST=1}.
 */
public final class PresetTranslation {

	/** The key that switches a preset on; it is not a field of {@link SocketProxyProperties}. */
	public static final String PRESET_KEY = "socketproxy.preset";

	static final String VERSION_PREFIX = "(/v[0-9.]+)?";

	/** API sections: switch to path segment, with the peers' defaults. */
	private static final List<Section> SECTIONS = List.of(new Section("AUTH", "auth", false),
			new Section("BUILD", "build", false), new Section("COMMIT", "commit", false),
			new Section("CONFIGS", "configs", false), new Section("CONTAINERS", "containers", false),
			new Section("DISTRIBUTION", "distribution", false), new Section("EVENTS", "events", true),
			new Section("EXEC", "exec", false), new Section("GRPC", "grpc", false),
			new Section("IMAGES", "images", false), new Section("INFO", "info", false),
			new Section("NETWORKS", "networks", false), new Section("NODES", "nodes", false),
			new Section("PING", "_ping", true), new Section("PLUGINS", "plugins", false),
			new Section("SECRETS", "secrets", false), new Section("SERVICES", "services", false),
			new Section("SESSION", "session", false), new Section("SWARM", "swarm", false),
			new Section("SYSTEM", "system", false), new Section("TASKS", "tasks", false),
			new Section("VERSION", "version", true), new Section("VOLUMES", "volumes", false));

	/** Container actions: switch to the action after {@code /containers/{id}/}; all off by default. */
	private static final Map<String, String> ACTIONS = orderedActions();

	/**
	 * Switches of newer releases that narrow what a section allows (or widen methods one
	 * by one). Ignoring them could let through what the user's peer refused, so their
	 * presence stops the start instead.
	 */
	private static final List<String> NOT_TRANSLATED = List.of("ALLOW_EXEC", "ALLOW_KILL", "ALLOW_ATTACH",
			"ALLOW_ARCHIVE", "ALLOW_EXPORT", "ALLOW_LOGS", "ALLOW_DELETE", "DELETE", "PUT", "PATCH", "ADVANCED");

	private static final List<String> READ_METHODS = List.of("GET", "HEAD");

	/** The write methods the Docker API uses; the engine has no endpoint for PATCH, OPTIONS, TRACE or CONNECT. */
	private static final List<String> WRITE_METHODS = List.of("POST", "PUT", "DELETE");

	private final Preset preset;

	private final Map<String, List<String>> allow;

	private final Map<String, Object> properties;

	private PresetTranslation(Preset preset, Map<String, List<String>> allow, Map<String, Object> properties) {
		this.preset = preset;
		this.allow = allow;
		this.properties = properties;
	}

	/**
	 * Translates the switches in {@code env} as the named peer reads them.
	 * @throws InvalidConfigurationException for an unknown preset, a switch that is not
	 * {@code 0} or {@code 1}, or a switch this translation does not cover
	 */
	public static PresetTranslation translate(String presetName, Map<String, String> env) {
		Preset preset = Preset.named(presetName);
		for (String name : NOT_TRANSLATED) {
			if (env.containsKey(name)) {
				throw new InvalidConfigurationException(name, env.get(name), "not translated by preset " + preset.id
						+ "; remove it and write the rule under socketproxy.allow");
			}
		}
		boolean post = flag(env, "POST", false);
		List<String> sectionRules = new ArrayList<>();
		for (Section section : SECTIONS) {
			if (flag(env, section.variable, section.enabledByDefault)) {
				sectionRules.add(VERSION_PREFIX + "/" + section.path + "(/.*)?");
			}
		}
		List<String> actionRules = new ArrayList<>();
		ACTIONS.forEach((variable, action) -> {
			if (flag(env, variable, false)) {
				actionRules.add(VERSION_PREFIX + "/containers/[a-zA-Z0-9_.-]+/" + action);
			}
		});
		Map<String, List<String>> byMethod = new LinkedHashMap<>();
		for (String method : AccessRules.METHODS) {
			List<String> rules = new ArrayList<>();
			if (READ_METHODS.contains(method) || (post && WRITE_METHODS.contains(method))) {
				rules.addAll(sectionRules);
			}
			if (method.equals("POST") && (post || preset.actionsBeforeMethodCheck)) {
				rules.addAll(actionRules);
			}
			if (!rules.isEmpty()) {
				byMethod.put(method, List.copyOf(rules));
			}
		}
		return new PresetTranslation(preset, Collections.unmodifiableMap(byMethod), properties(preset, byMethod, env));
	}

	/** The preset's name as the user writes it. */
	public String preset() {
		return this.preset.id;
	}

	/** Method to whole-path regexes, in the reference's method order. */
	public Map<String, List<String>> allow() {
		return this.allow;
	}

	/** Everything the preset sets, as {@code socketproxy.*} properties with their origin. */
	public Map<String, Object> properties() {
		return this.properties;
	}

	private static Map<String, Object> properties(Preset preset, Map<String, List<String>> allow,
			Map<String, String> env) {
		Map<String, Object> properties = new LinkedHashMap<>();
		allow.forEach((method, rules) -> LegacyArguments.putRules(properties, method, rules, "preset " + preset.id));
		// Both peers listen on every address: the dual-stack wildcard, or IPv4 only with DISABLE_IPV6.
		properties.put("socketproxy.listen-ip",
				OriginTrackedValue.of(disableIpv6(env) ? "0.0.0.0" : "::", new LegacyArguments.Source("preset " + preset.id
						+ " (environment variable DISABLE_IPV6)")));
		String socketPath = env.get("SOCKET_PATH");
		if (socketPath != null && !socketPath.isBlank()) {
			properties.put("socketproxy.socket-path",
					OriginTrackedValue.of(socketPath, new LegacyArguments.Source("environment variable SOCKET_PATH")));
		}
		return Map.copyOf(properties);
	}

	/**
	 * Only {@code 0} and {@code 1}: the peers' HAProxy reads a switch as a number, so
	 * {@code true} there means off. Refusing it is safer than guessing either way.
	 */
	private static boolean flag(Map<String, String> env, String name, boolean byDefault) {
		String value = env.get(name);
		if (value == null) {
			return byDefault;
		}
		return switch (value.trim()) {
			case "1" -> true;
			case "0" -> false;
			default -> throw new InvalidConfigurationException(name, value,
					"must be 0 or 1 (the HAProxy of Tecnativa and linuxserver reads other values as numbers)");
		};
	}

	/** The peers' entrypoints accept 1, true or yes in any case; anything else keeps IPv6. */
	private static boolean disableIpv6(Map<String, String> env) {
		String value = env.get("DISABLE_IPV6");
		if (value == null) {
			return false;
		}
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "1", "true", "yes" -> true;
			case "0", "false", "no", "" -> false;
			default -> throw new InvalidConfigurationException("DISABLE_IPV6", value, "must be 0, 1, true, false, yes or no");
		};
	}

	private static Map<String, String> orderedActions() {
		Map<String, String> actions = new LinkedHashMap<>();
		actions.put("ALLOW_START", "start");
		actions.put("ALLOW_STOP", "stop");
		actions.put("ALLOW_RESTARTS", "(stop|restart|kill)");
		actions.put("ALLOW_PAUSE", "pause");
		actions.put("ALLOW_UNPAUSE", "unpause");
		return Collections.unmodifiableMap(actions);
	}

	/** The peers this translation follows. */
	enum Preset {

		TECNATIVA("tecnativa", false), LINUXSERVER("linuxserver", true);

		private final String id;

		private final boolean actionsBeforeMethodCheck;

		Preset(String id, boolean actionsBeforeMethodCheck) {
			this.id = id;
			this.actionsBeforeMethodCheck = actionsBeforeMethodCheck;
		}

		static Preset named(String name) {
			for (Preset preset : values()) {
				if (preset.id.equalsIgnoreCase(name.trim())) {
					return preset;
				}
			}
			throw new InvalidConfigurationException(PRESET_KEY, name, "unknown preset; use tecnativa or linuxserver");
		}

	}

	private record Section(String variable, String path, boolean enabledByDefault) {
	}

}
