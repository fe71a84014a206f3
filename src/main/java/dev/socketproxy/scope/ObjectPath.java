package dev.socketproxy.scope;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.socketproxy.access.EnginePath;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.scope.EngineObject.Kind;

/**
 * The object a per-id request names, read from its canonical target as the engine's
 * router reads it. The router's references are {@code {name:.*}}: they may hold
 * {@code /}, and the action is the last segment (two for {@code attach/ws}). Image
 * references do hold {@code /}; container and exec references never can, so
 * {@link #wellFormed()} says whether the engine could find such an object at all.
 * Collection endpoints ({@code GET /containers/json}, {@code POST /networks/create}, ...)
 * name no object.
 *
 * @param kind what the path names
 * @param reference the reference, percent-decoded, as the engine resolves it
 * @param rawBefore the raw path up to the reference, version prefix included
 * @param rawAfter the raw path after the reference, empty or starting with {@code /}
 */
public record ObjectPath(Kind kind, String reference, String rawBefore, String rawAfter) {

	private static final Pattern PER_ID = EnginePath.pattern("/(containers|exec|networks|volumes|images)/(.+)");

	/** Docker's container name rule, which also admits every ID and ID prefix. */
	private static final Pattern CONTAINER_REFERENCE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

	private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?[0-9a-f]+");

	private static final Set<String> NETWORK_ACTIONS = Set.of("connect", "disconnect");

	private static final Set<String> IMAGE_GET_ACTIONS = Set.of("json", "history", "get");

	private static final Set<String> IMAGE_POST_ACTIONS = Set.of("push", "tag");

	/** The object {@code method} on {@code target} names, if it names one. */
	public static Optional<ObjectPath> of(String method, RequestTarget target) {
		Matcher matcher = PER_ID.matcher(target.path());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		List<String> segments = Arrays.asList(matcher.group(2).split("/", -1));
		int n = segments.size();
		String last = segments.get(n - 1);
		int action = switch (matcher.group(1)) {
			case "containers" -> {
				if (n == 1 && (method.equals("GET") && last.equals("json")
						|| method.equals("POST") && (last.equals("create") || last.equals("prune")))) {
					yield -1;
				}
				if (method.equals("DELETE") || n == 1) {
					yield 0;
				}
				yield (n >= 3 && segments.get(n - 2).equals("attach") && last.equals("ws")) ? 2 : 1;
			}
			case "exec" -> (n == 1) ? 0 : 1;
			case "networks" -> {
				if (n == 1 && method.equals("POST") && (last.equals("create") || last.equals("prune"))) {
					yield -1;
				}
				yield (n >= 2 && method.equals("POST") && NETWORK_ACTIONS.contains(last)) ? 1 : 0;
			}
			case "volumes" -> (n == 1 && method.equals("POST") && (last.equals("create") || last.equals("prune"))) ? -1 : 0;
			default -> {
				if (n == 1 && (method.equals("GET") && Set.of("json", "search", "get").contains(last)
						|| method.equals("POST") && Set.of("create", "load", "prune").contains(last))) {
					yield -1;
				}
				boolean named = n >= 2 && (method.equals("GET") || method.equals("HEAD")) && IMAGE_GET_ACTIONS.contains(last)
						|| n >= 2 && method.equals("POST") && IMAGE_POST_ACTIONS.contains(last);
				yield named ? 1 : 0;
			}
		};
		if (action < 0) {
			return Optional.empty();
		}
		Kind kind = switch (matcher.group(1)) {
			case "containers" -> Kind.CONTAINER;
			case "exec" -> Kind.EXEC;
			case "networks" -> Kind.NETWORK;
			case "volumes" -> Kind.VOLUME;
			default -> Kind.IMAGE;
		};
		String reference = String.join("/", segments.subList(0, n - action));
		// A canonical raw path has as many segments as its decoded form: no encoded '/'.
		String[] raw = target.rawPath().split("/", -1);
		int referenceStart = raw.length - n;
		int afterStart = raw.length - action;
		return Optional.of(new ObjectPath(kind, reference, String.join("/", Arrays.copyOfRange(raw, 0, referenceStart)) + "/",
				(action == 0) ? "" : "/" + String.join("/", Arrays.copyOfRange(raw, afterStart, raw.length))));
	}

	/**
	 * Whether the engine could know an object of this reference. Container and exec
	 * references are names or IDs, without {@code /}; the others are the engine's to judge.
	 */
	public boolean wellFormed() {
		return switch (this.kind) {
			case CONTAINER, EXEC -> CONTAINER_REFERENCE.matcher(this.reference).matches();
			default -> !this.reference.isEmpty();
		};
	}

	/** The raw path naming {@code id} instead of the reference. */
	public String rawPathWith(String id) {
		return this.rawBefore + id + this.rawAfter;
	}

	/**
	 * Whether the reference is (a prefix of) the image's ID rather than one of its names:
	 * only then does the ID name the same thing for every action (by a name, {@code DELETE}
	 * untags and {@code push} pushes that name).
	 */
	public boolean namesImageById(EngineObject image) {
		if (!IMAGE_ID.matcher(this.reference).matches()) {
			return false;
		}
		String hex = this.reference.startsWith("sha256:") ? this.reference.substring(7) : this.reference;
		String id = image.id().startsWith("sha256:") ? image.id().substring(7) : image.id();
		return id.startsWith(hex) && !image.names().contains(this.reference)
				&& !image.names().contains(this.reference + ":latest")
				&& !image.names().contains("docker.io/library/" + this.reference + ":latest");
	}

}
