package dev.socketproxy.access.body;

import java.util.Map;
import java.util.Optional;

import dev.socketproxy.access.ImagePolicy;

/**
 * The image restriction applied to a request body: the {@code Image} of a container create
 * and of a service's container spec must be allowed by the client's {@link ImagePolicy}.
 * The images named in a query ({@code /images/create}, {@code /build}) are
 * {@link ImageRequestFilter}'s.
 */
public final class ImageChecks {

	private final ImagePolicy policy;

	public ImageChecks(ImagePolicy policy) {
		this.policy = policy;
	}

	/** What a create body names that the restriction forbids, if anything. */
	public Optional<String> violation(InspectedEndpoint endpoint, Object body) {
		if (!this.policy.enabled() || !(endpoint == InspectedEndpoint.CONTAINER_CREATE || endpoint.describesService())) {
			return Optional.empty();
		}
		Map<String, Object> root = JsonValues.object(body, "body");
		if (endpoint == InspectedEndpoint.CONTAINER_CREATE) {
			return this.policy.containerImage(JsonValues.string(JsonValues.field(root, "Image"), "Image"));
		}
		Map<String, Object> containerSpec = JsonValues.objectAt(root, "TaskTemplate", "ContainerSpec");
		// A task template without a container spec runs a plugin, not an image.
		return containerSpec.isEmpty() ? Optional.empty()
				: this.policy.containerImage(JsonValues.string(JsonValues.field(containerSpec, "Image"), "ContainerSpec Image"));
	}

}
