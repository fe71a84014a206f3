package dev.socketproxy.scope;

import java.util.List;
import java.util.Map;

/**
 * An object as the engine knows it, found by whatever a request named it with (a name, an
 * ID or an ID prefix), with what a scope decides on.
 *
 * @param kind what it is
 * @param id its full ID (a volume's name; for an exec, its own ID)
 * @param names its names, containers with Docker's leading {@code /}; empty if it has none
 * @param labels all its labels; for an exec, its container's
 * @param containerId for an exec, the ID of the container it runs in; else {@code null}
 */
public record EngineObject(Kind kind, String id, List<String> names, Map<String, String> labels, String containerId) {

	public EngineObject {
		names = List.copyOf(names);
		labels = Map.copyOf(labels);
	}

	/** The kinds of object a request can name by ID or name. */
	public enum Kind {

		CONTAINER, EXEC, NETWORK, VOLUME, IMAGE

	}

}
