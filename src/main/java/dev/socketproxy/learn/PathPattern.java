package dev.socketproxy.learn;

import java.util.List;
import java.util.stream.Collectors;

import com.google.re2j.Pattern;

/**
 * A learned path as a sequence of tokens, one per path segment (an image reference may
 * stand for several), that {@link #regex()} joins into an RE2 rule without anchors: the
 * proxy anchors every rule itself.
 *
 * @param tokens the segments, literal or generalised
 */
record PathPattern(List<Token> tokens) {

	PathPattern {
		tokens = List.copyOf(tokens);
	}

	/** The rule as it goes into the configuration, e.g. {@code /v1\.[0-9]+/containers/json}. */
	String regex() {
		return this.tokens.isEmpty() ? "/" : this.tokens.stream().map(Token::regex).collect(Collectors.joining("/", "/", ""));
	}

	/**
	 * Whether every path this pattern matches is also matched by {@code other}, judged
	 * token by token: a rule so covered adds nothing and is left out.
	 */
	boolean coveredBy(PathPattern other) {
		if (this.tokens.size() != other.tokens.size()) {
			return false;
		}
		for (int i = 0; i < this.tokens.size(); i++) {
			if (!this.tokens.get(i).coveredBy(other.tokens.get(i))) {
				return false;
			}
		}
		return true;
	}

	/** One segment of a learned path, or a generalisation of one or more. */
	sealed interface Token permits Literal, Generalised, Version {

		String regex();

		boolean coveredBy(Token other);

	}

	/** A segment kept as sent, with RE2's metacharacters escaped. */
	record Literal(String text) implements Token {

		private static final String METACHARACTERS = "\\.+*?()|[]{}^$";

		@Override
		public String regex() {
			StringBuilder regex = new StringBuilder(this.text.length() + 8);
			for (int i = 0; i < this.text.length(); i++) {
				char c = this.text.charAt(i);
				if (METACHARACTERS.indexOf(c) >= 0) {
					regex.append('\\');
				}
				regex.append(c);
			}
			return regex.toString();
		}

		@Override
		public boolean coveredBy(Token other) {
			return equals(other) || (other instanceof Generalised generalised && generalised.matches(this.text));
		}

	}

	/**
	 * A class of segments. {@link #REFERENCE} may span segments (an image reference such
	 * as {@code ghcr.io/org/app:1.2}); each class matches everything the classes before
	 * it match, which is what makes {@link #coveredBy} a simple comparison.
	 */
	enum Generalised implements Token {

		/** A full object ID: 64 lowercase hex digits. */
		ID("[0-9a-f]{64}"),

		/** A container, network or volume name, a short ID or an exec ID. */
		NAME("[a-zA-Z0-9_.-]+"),

		/** An image or plugin reference: registry host and port, path, tag, digest. */
		REFERENCE("[a-zA-Z0-9_.:@/-]+");

		private final String regex;

		private final Pattern pattern;

		Generalised(String regex) {
			this.regex = regex;
			this.pattern = Pattern.compile(regex);
		}

		@Override
		public String regex() {
			return this.regex;
		}

		boolean matches(String text) {
			return this.pattern.matches(text);
		}

		@Override
		public boolean coveredBy(Token other) {
			return other instanceof Generalised generalised && generalised.ordinal() >= ordinal();
		}

	}

	/** The API version prefix {@code v1.47}, folded to any minor version of the same major. */
	record Version(String major) implements Token {

		@Override
		public String regex() {
			return "v" + this.major + "\\.[0-9]+";
		}

		@Override
		public boolean coveredBy(Token other) {
			return equals(other);
		}

	}

}
