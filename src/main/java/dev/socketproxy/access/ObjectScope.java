package dev.socketproxy.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.re2j.Pattern;

import dev.socketproxy.config.AccessRules;

/**
 * Which engine objects a client may see and touch, beyond the endpoints its rules allow:
 * with an {@code owner}, only what carries the owner label (images without an owner label
 * stay readable); with {@code visible-containers}, only the containers of those names or
 * labels. Plain decisions on an object's names and labels; finding the object a request
 * names, and filtering lists, is the scope filters' business.
 */
public final class ObjectScope {

	/** No scope: every object. */
	public static final ObjectScope NONE = new ObjectScope(null, null, List.of(), List.of(), AccessRules.VisibleContainers.ALL);

	private static final java.util.regex.Pattern COVERED = EnginePath
		.pattern("/(?:containers|exec|networks|volumes|images|events)(?:/.*)?");

	private final String owner;

	private final String ownerLabel;

	private final List<Pattern> names;

	private final List<LabelSelector> labels;

	private final AccessRules.VisibleContainers visible;

	private ObjectScope(String owner, String ownerLabel, List<Pattern> names, List<LabelSelector> labels,
			AccessRules.VisibleContainers visible) {
		this.owner = owner;
		this.ownerLabel = ownerLabel;
		this.names = List.copyOf(names);
		this.labels = List.copyOf(labels);
		this.visible = visible;
	}

	/**
	 * Compiles a scope.
	 * @param key the configuration key of the rules, such as {@code socketproxy} or
	 * {@code socketproxy.profiles[ci]}, for errors
	 * @param labelPrefix the docker label prefix; the owner label is {@code <prefix>.owner}
	 * @param owner the owner, {@code null} for none
	 * @param visible the visible containers
	 * @throws dev.socketproxy.config.InvalidConfigurationException for a name pattern that does not compile
	 */
	public static ObjectScope compile(String key, String labelPrefix, String owner, AccessRules.VisibleContainers visible) {
		if (owner == null && !visible.limited()) {
			return NONE;
		}
		List<Pattern> names = visible.names()
			.stream()
			.map((name) -> AnchoredPattern.compile(key + ".visible-containers.names", name, "pattern"))
			.toList();
		List<LabelSelector> labels = visible.labels().stream().map(LabelSelector::parse).toList();
		return new ObjectScope(owner, labelPrefix + ".owner", names, labels, visible);
	}

	/** Whether any object is out of scope. */
	public boolean limited() {
		return this.owner != null || this.visible.limited();
	}

	/** The owner whose label objects must carry, if any. */
	public Optional<String> owner() {
		return Optional.ofNullable(this.owner);
	}

	/** The owner label's key, {@code <docker-label-prefix>.owner}; {@code null} without an owner. */
	public String ownerLabel() {
		return this.ownerLabel;
	}

	/** Whether an object with these labels is the owner's; always without an owner. */
	public boolean owns(Map<String, String> labels) {
		return this.owner == null || this.owner.equals(labels.get(this.ownerLabel));
	}

	/**
	 * Whether the scope may decide on a request for {@code canonicalPath}: with a limited
	 * scope, every path of the object kinds and of the event stream.
	 */
	public boolean covers(String canonicalPath) {
		return limited() && COVERED.matcher(canonicalPath).matches();
	}

	/** Whether containers are limited by name or label ({@code visible-containers}). */
	public boolean limitsVisibility() {
		return this.visible.limited();
	}

	/**
	 * Whether a container of these names and labels is visible: always without
	 * {@code visible-containers}, else if a name matches a pattern or it carries a listed
	 * label. The owner is not considered here.
	 * @param names its names, with or without Docker's leading {@code /}
	 */
	public boolean shows(List<String> names, Map<String, String> labels) {
		if (!this.visible.limited()) {
			return true;
		}
		for (String name : names) {
			String bare = name.startsWith("/") ? name.substring(1) : name;
			if (this.names.stream().anyMatch((pattern) -> pattern.matches(bare))) {
				return true;
			}
		}
		return this.labels.stream().anyMatch((selector) -> selector.matches(labels));
	}

	/** The owner and the visible containers, for the startup table. */
	@Override
	public String toString() {
		if (!limited()) {
			return "none";
		}
		StringBuilder text = new StringBuilder();
		if (this.owner != null) {
			text.append("owner=").append(this.owner);
		}
		if (this.visible.limited()) {
			text.append((text.isEmpty()) ? "" : " ")
				.append("visible-containers names=")
				.append(this.visible.names())
				.append(" labels=")
				.append(this.visible.labels());
		}
		return text.toString();
	}

	/** {@code key}: the label is set; {@code key=value}: set to exactly this. */
	private record LabelSelector(String key, String value) {

		static LabelSelector parse(String text) {
			int equals = text.indexOf('=');
			return (equals < 0) ? new LabelSelector(text, null)
					: new LabelSelector(text.substring(0, equals), text.substring(equals + 1));
		}

		boolean matches(Map<String, String> labels) {
			String actual = labels.get(this.key);
			return actual != null && (this.value == null || this.value.equals(actual));
		}

	}

}
