package dev.socketproxy.access;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import dev.socketproxy.config.InvalidConfigurationException;

/** A configured RE2 pattern that must match a whole value, such as an image or a container name. */
final class AnchoredPattern {

	private AnchoredPattern() {
	}

	/**
	 * Compiles {@code pattern} anchored at both ends.
	 * @throws InvalidConfigurationException for a pattern that is empty or not a valid RE2 regex
	 */
	static Pattern compile(String key, String pattern) {
		if (pattern == null || pattern.isEmpty()) {
			throw new InvalidConfigurationException(key, pattern, "a pattern must not be empty");
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
