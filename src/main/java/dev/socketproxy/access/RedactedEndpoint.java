package dev.socketproxy.access;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The engine's {@code GET} answers that carry container environments or config data, found
 * by canonical path, with or without a version prefix (matched as the engine's router
 * matches it), for {@code redact-env}. Log and other streamed endpoints of the same objects
 * are not among them. The list is here, not with the rewriting ({@code redact}), since the
 * fast path must know from {@link ClientRules#redacted} which requests it may not take.
 */
public enum RedactedEndpoint {

	/** {@code /containers/{id}/json}: {@code Config.Env}. */
	CONTAINER_INSPECT("/containers/[^/]+/json", false),

	/** {@code /exec/{id}/json}: an exec's process settings. */
	EXEC_INSPECT("/exec/[^/]+/json", false),

	/** {@code /services} and {@code /services/{id}}: {@code Spec.TaskTemplate.ContainerSpec.Env}. */
	SERVICES("/services(?:/[^/]+)?", false),

	/** {@code /tasks} and {@code /tasks/{id}}: {@code Spec.ContainerSpec.Env}. */
	TASKS("/tasks(?:/[^/]+)?", false),

	/** {@code /configs} and {@code /configs/{id}}: {@code Spec.Data}. */
	CONFIGS("/configs(?:/[^/]+)?", true),

	/** {@code /secrets} and {@code /secrets/{id}}: {@code Spec.Data}, should an engine send it. */
	SECRETS("/secrets(?:/[^/]+)?", true),

	/** {@code /plugins} and {@code /plugins/{name}/json} (names hold {@code /}): {@code Settings.Env}. */
	PLUGINS("/plugins(?:/.+/json)?", false);

	private final Pattern path;

	private final boolean removesSpecData;

	RedactedEndpoint(String path, boolean removesSpecData) {
		this.path = EnginePath.pattern(path);
		this.removesSpecData = removesSpecData;
	}

	/** The endpoint a canonical path is for, if its answer is redacted. */
	public static Optional<RedactedEndpoint> of(String canonicalPath) {
		for (RedactedEndpoint endpoint : values()) {
			if (endpoint.path.matcher(canonicalPath).matches()) {
				return Optional.of(endpoint);
			}
		}
		return Optional.empty();
	}

	/** Whether {@code Spec.Data} is removed as well as every {@code Env} value. */
	public boolean removesSpecData() {
		return this.removesSpecData;
	}

}
