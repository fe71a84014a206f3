package dev.socketproxy.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import dev.socketproxy.learn.PathPattern.Generalised;
import dev.socketproxy.learn.PathPattern.Literal;
import dev.socketproxy.learn.PathPattern.Token;
import dev.socketproxy.learn.PathPattern.Version;

/**
 * Turns one canonical decoded path into the pattern a rule would need, following the
 * Docker Engine API's layout: the version prefix is folded to any minor version, the
 * segment after a collection ({@code containers}, {@code networks}, ...) is an object
 * ID or name unless it is one of the collection's own endpoints ({@code json},
 * {@code create}, {@code prune}, ...), and a 64-hex-digit segment is an ID wherever it
 * stands. Everything else stays literal.
 * <p>
 * A segment is only generalised into a class it fits, so the pattern always matches the
 * path it was learned from.
 */
final class PathGeneraliser {

	private static final Pattern VERSION = Pattern.compile("v([0-9]+)\\.[0-9]+");

	/** Collections whose objects are addressed by one segment, with their collection-level endpoints. */
	private static final Map<String, Set<String>> NAMED = Map.of("containers", Set.of("json", "create", "prune"),
			"networks", Set.of("create", "prune"), "volumes", Set.of("create", "prune"), "exec", Set.of(),
			"services", Set.of("create"), "nodes", Set.of(), "secrets", Set.of("create"), "configs",
			Set.of("create"), "tasks", Set.of());

	/**
	 * Collections whose objects are addressed by a reference that may contain {@code /}
	 * ({@code /images/ghcr.io/org/app:1/json}), with their collection-level endpoints and
	 * the endpoints that may follow a reference: the reference is everything between.
	 */
	private static final Map<String, Referenced> REFERENCED = Map.of("images",
			new Referenced(Set.of("json", "create", "search", "get", "load", "prune"),
					Set.of("json", "history", "push", "tag", "get")),
			"distribution", new Referenced(Set.of(), Set.of("json")), "plugins",
			new Referenced(Set.of("privileges", "pull", "create"),
					Set.of("json", "enable", "disable", "upgrade", "push", "set")));

	private PathGeneraliser() {
	}

	/** The pattern for {@code path}, which must be canonical (from {@code RequestTarget}). */
	static PathPattern generalise(String path) {
		if (path.equals("/")) {
			return new PathPattern(List.of());
		}
		List<String> segments = Arrays.asList(path.substring(1).split("/", -1));
		List<Token> tokens = new ArrayList<>(segments.size());
		int i = 0;
		Matcher version = VERSION.matcher(segments.get(0));
		if (version.matches()) {
			tokens.add(new Version(version.group(1)));
			i = 1;
		}
		while (i < segments.size()) {
			String segment = segments.get(i);
			boolean last = i == segments.size() - 1;
			if (!last && NAMED.containsKey(segment) && !isEndpoint(NAMED.get(segment), segments, i + 1)) {
				tokens.add(new Literal(segment));
				tokens.add(object(segments.get(i + 1), Generalised.NAME));
				i += 2;
			}
			else if (!last && REFERENCED.containsKey(segment)
					&& !isEndpoint(REFERENCED.get(segment).collectionEndpoints(), segments, i + 1)) {
				tokens.add(new Literal(segment));
				int end = REFERENCED.get(segment).referenceEnd(segments, i + 1);
				tokens.add(object(String.join("/", segments.subList(i + 1, end)), Generalised.REFERENCE));
				i = end;
			}
			else {
				tokens.add(object(segment, null));
				i++;
			}
		}
		return new PathPattern(tokens);
	}

	/** {@code segments[index]} is a collection's own endpoint when it is the last segment and one of {@code endpoints}. */
	private static boolean isEndpoint(Set<String> endpoints, List<String> segments, int index) {
		return index == segments.size() - 1 && endpoints.contains(segments.get(index));
	}

	/** An ID anywhere, else the class if the text fits it, else the text itself. */
	private static Token object(String text, Generalised generalised) {
		if (Generalised.ID.matches(text)) {
			return Generalised.ID;
		}
		if (generalised != null && generalised.matches(text)) {
			return generalised;
		}
		return new Literal(text);
	}

	private record Referenced(Set<String> collectionEndpoints, Set<String> referenceEndpoints) {

		/** Where the reference starting at {@code start} ends: before a trailing endpoint, else at the end. */
		int referenceEnd(List<String> segments, int start) {
			int lastIndex = segments.size() - 1;
			boolean trailingEndpoint = lastIndex > start && this.referenceEndpoints.contains(segments.get(lastIndex));
			return trailingEndpoint ? lastIndex : segments.size();
		}

	}

}
