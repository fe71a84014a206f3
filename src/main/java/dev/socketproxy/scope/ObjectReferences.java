package dev.socketproxy.scope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.socketproxy.access.body.JsonValues;

/**
 * The objects a request body names besides the one in its path, as the engine would look
 * them up: in a container create (and the host settings an old API's start may send), the
 * image, the volumes its binds and volume mounts use, the containers whose namespaces,
 * volumes or links it joins, and the networks it is attached to; in a network create, the
 * network it takes its configuration from; in a network connect or disconnect, the
 * container. Predefined network modes ({@code bridge}, {@code host}, {@code none},
 * {@code default}) and host paths name no object. Read from an
 * {@code access.body.EngineJson} tree, keys matched as the engine matches them
 * ({@link JsonValues}).
 */
final class ObjectReferences {

	private static final Set<String> NETWORK_MODES = Set.of("bridge", "host", "none", "default");

	private static final String CONTAINER_MODE = "container:";

	private ObjectReferences() {
	}

	/** One object a request names. */
	record Reference(EngineObject.Kind kind, String name) {

		@Override
		public String toString() {
			return this.kind.name().toLowerCase(Locale.ROOT) + " " + this.name;
		}

	}

	/** What a container create or start body names, each once, in the order found. */
	static List<Reference> container(Object body) {
		Map<String, Object> root = JsonValues.object(body, "body");
		Set<Reference> references = new LinkedHashSet<>();
		String image = JsonValues.string(JsonValues.field(root, "Image"), "Image");
		if (image != null) {
			references.add(new Reference(EngineObject.Kind.IMAGE, image));
		}
		// The engine reads host settings from the top level too when no HostConfig object is sent.
		for (Map<String, Object> hostConfig : JsonValues.hostConfigs(root)) {
			for (Object bind : JsonValues.array(JsonValues.field(hostConfig, "Binds"), "Binds")) {
				String spec = JsonValues.string(bind, "Binds entry");
				int colon = (spec != null) ? spec.indexOf(':') : -1;
				if (colon > 0 && !spec.startsWith("/")) {
					references.add(new Reference(EngineObject.Kind.VOLUME, spec.substring(0, colon)));
				}
			}
			for (Object mount : JsonValues.array(JsonValues.field(hostConfig, "Mounts"), "Mounts")) {
				Map<String, Object> fields = JsonValues.object(mount, "Mounts entry");
				String source = JsonValues.string(JsonValues.field(fields, "Source"), "Mount Source");
				if ("volume".equals(JsonValues.string(JsonValues.field(fields, "Type"), "Mount Type")) && source != null
						&& !source.isEmpty()) {
					references.add(new Reference(EngineObject.Kind.VOLUME, source));
				}
			}
			String networkMode = JsonValues.string(JsonValues.field(hostConfig, "NetworkMode"), "NetworkMode");
			if (networkMode != null && !networkMode.startsWith(CONTAINER_MODE) && !networkMode.isEmpty()
					&& !NETWORK_MODES.contains(networkMode)) {
				references.add(new Reference(EngineObject.Kind.NETWORK, networkMode));
			}
			for (String mode : List.of("NetworkMode", "PidMode", "IpcMode", "Cgroup")) {
				String value = JsonValues.string(JsonValues.field(hostConfig, mode), mode);
				if (value != null && value.startsWith(CONTAINER_MODE)) {
					references.add(new Reference(EngineObject.Kind.CONTAINER, value.substring(CONTAINER_MODE.length())));
				}
			}
			for (Object from : JsonValues.array(JsonValues.field(hostConfig, "VolumesFrom"), "VolumesFrom")) {
				references.add(new Reference(EngineObject.Kind.CONTAINER, beforeColon(JsonValues.string(from, "VolumesFrom entry"))));
			}
			for (Object link : JsonValues.array(JsonValues.field(hostConfig, "Links"), "Links")) {
				String name = beforeColon(JsonValues.string(link, "Links entry"));
				references.add(new Reference(EngineObject.Kind.CONTAINER, name.startsWith("/") ? name.substring(1) : name));
			}
		}
		for (String network : JsonValues.objectAt(root, "NetworkingConfig", "EndpointsConfig").keySet()) {
			if (!NETWORK_MODES.contains(network)) {
				references.add(new Reference(EngineObject.Kind.NETWORK, network));
			}
		}
		references.removeIf((reference) -> reference.name().isEmpty());
		return List.copyOf(references);
	}

	/** The configuration-only network a network create body takes its configuration from. */
	static List<Reference> networkCreate(Object body) {
		Map<String, Object> configFrom = JsonValues.objectAt(JsonValues.object(body, "body"), "ConfigFrom");
		String network = JsonValues.string(JsonValues.field(configFrom, "Network"), "ConfigFrom Network");
		return (network == null || network.isEmpty()) ? List.of()
				: List.of(new Reference(EngineObject.Kind.NETWORK, network));
	}

	/** The container a network connect or disconnect body names. */
	static List<Reference> networkConnect(Object body) {
		String container = JsonValues.string(JsonValues.field(JsonValues.object(body, "body"), "Container"), "Container");
		return (container == null || container.isEmpty()) ? List.of()
				: List.of(new Reference(EngineObject.Kind.CONTAINER, container));
	}

	private static String beforeColon(String spec) {
		if (spec == null) {
			return "";
		}
		int colon = spec.indexOf(':');
		return (colon >= 0) ? spec.substring(0, colon) : spec;
	}

}
