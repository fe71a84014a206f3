package dev.socketproxy.access;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.socketproxy.config.InvalidConfigurationException;

/** A configured RE2 pattern that must match a whole value: a path rule, an image, a container name. */
final class AnchoredPattern {

	private AnchoredPattern() {
	}

	/**
	 * Compiles {@code pattern} anchored at both ends.
	 * @param what what the pattern is called in the message for an empty one: {@code rule}, {@code pattern}
	 * @throws InvalidConfigurationException for a pattern that is empty or not a valid RE2 regex
	 */
	static Pattern compile(String key, String pattern, String what) {
		if (pattern == null || pattern.isEmpty()) {
			throw new InvalidConfigurationException(key, pattern, "a " + what + " must not be empty");
		}
		try {
			// Compiling the bare pattern first rejects ")|(" tricks that would break out of the group.
			Pattern.compile(pattern);
			return Pattern.compile("^(?:" + pattern + ")$");
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidConfigurationException(key, pattern, "not a valid RE2 regular expression: " + ex.getDescription());
		}
	}

}
