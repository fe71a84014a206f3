package dev.socketproxy.access.body;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.socketproxy.access.EnginePath;

/**
 * The Docker API endpoints whose JSON body can ask the engine for host access, or create
 * or name objects an owner scope covers, found by method and canonical path, with or
 * without the version prefix ({@link EnginePath}).
 */
public enum InspectedEndpoint {

	/** {@code POST /containers/create}: Config with an embedded HostConfig, and a HostConfig object. */
	CONTAINER_CREATE("/containers/create"),

	/** {@code POST /containers/{id}/update}. */
	CONTAINER_UPDATE("/containers/[^/]+/update"),

	/** {@code POST /containers/{id}/start}: API versions below 1.24 apply a HostConfig body. */
	CONTAINER_START("/containers/[^/]+/start"),

	/** {@code POST /containers/{id}/exec}: an exec may ask for privileges the container lacks. */
	EXEC_CREATE("/containers/[^/]+/exec"),

	/** {@code POST /services/create}. */
	SERVICE_CREATE("/services/create"),

	/** {@code POST /services/{id}/update}. */
	SERVICE_UPDATE("/services/[^/]+/update"),

	/** {@code POST /volumes/create}. */
	VOLUME_CREATE("/volumes/create"),

	/** {@code POST /networks/create}: read only to label it with an owner. */
	NETWORK_CREATE("/networks/create"),

	/** {@code POST /networks/{id}/connect} and {@code /disconnect}: read only for the container they name. */
	NETWORK_CONNECT("/networks/[^/]+/(connect|disconnect)");

	private final Pattern path;

	InspectedEndpoint(String path) {
		this.path = EnginePath.pattern(path);
	}

	/** The endpoint a request is for, if its body must be inspected. */
	public static Optional<InspectedEndpoint> of(String method, String canonicalPath) {
		if (!"POST".equals(method)) {
			return Optional.empty();
		}
		for (InspectedEndpoint endpoint : values()) {
			if (endpoint.path.matcher(canonicalPath).matches()) {
				return Optional.of(endpoint);
			}
		}
		return Optional.empty();
	}

	/** Whether the body carries container host settings (binds, privileges, namespaces). */
	public boolean carriesHostConfig() {
		return this == CONTAINER_CREATE || this == CONTAINER_UPDATE || this == CONTAINER_START;
	}

	/** Whether the body creates an object that an owner scope labels. */
	public boolean labelled() {
		return this == CONTAINER_CREATE || this == NETWORK_CREATE || this == VOLUME_CREATE;
	}

	/** Whether the body describes a swarm service. */
	public boolean describesService() {
		return this == SERVICE_CREATE || this == SERVICE_UPDATE;
	}

}
