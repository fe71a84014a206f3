package dev.socketproxy.access;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Where a client's bind mounts may come from: every host path a request would mount must
 * be one of the allowed directories or lie below one. Host paths are cleaned ({@code .},
 * {@code ..}, repeated and trailing slashes) before the comparison, as the engine cleans
 * them. Which paths of a request body are host paths is {@code access.body}'s business.
 */
public final class BindMountPolicy {

	private final List<String> allowedDirectories;

	public BindMountPolicy(List<String> allowedDirectories) {
		this.allowedDirectories = allowedDirectories.stream().map(BindMountPolicy::clean).toList();
	}

	/** The allowed directories, cleaned, e.g. {@code [/srv/data]}; empty when the restriction is off. */
	@Override
	public String toString() {
		return this.allowedDirectories.toString();
	}

	/** Whether the restriction is on at all. */
	public boolean enabled() {
		return !this.allowedDirectories.isEmpty();
	}

	/**
	 * Why a host path may not be mounted, if it may not.
	 * @param what names the path in the answer, e.g. {@code bind source}
	 * @param source the host path as the request gives it
	 */
	public Optional<String> violation(String what, String source) {
		if (source == null || !source.startsWith("/")) {
			return Optional.of(what + " " + source + " is not an absolute path");
		}
		String cleaned = clean(source);
		for (String directory : this.allowedDirectories) {
			if (cleaned.equals(directory) || cleaned.startsWith(directory.equals("/") ? "/" : directory + "/")) {
				return Optional.empty();
			}
		}
		return Optional.of(source + " is outside the allowed directories");
	}

	/** Go's {@code filepath.Clean} for absolute paths. */
	static String clean(String path) {
		Deque<String> segments = new ArrayDeque<>();
		for (String segment : path.split("/")) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				segments.pollLast();
			}
			else {
				segments.addLast(segment);
			}
		}
		return "/" + String.join("/", segments);
	}

}
