package dev.socketproxy.access;

import java.util.List;
import java.util.Optional;

import com.google.re2j.Pattern;

/**
 * The image restriction: every image a request names must match one of the allowed
 * patterns in its normalised form ({@link ImageReference}), and with {@code refuse-latest}
 * must be pinned to a tag other than {@code latest} or to a digest. Which images a request
 * names is {@code access.body}'s business: the {@code Image} of a container create and of a
 * service's container spec, the pulled or imported name of {@code /images/create} and the
 * {@code t} tags of {@code /build}. Each finding is the text after {@code image not allowed: }.
 */
public final class ImagePolicy {

	/** No restriction. */
	public static final ImagePolicy NONE = new ImagePolicy(List.of(), List.of(), false);

	/** Longest part of a refused value that is repeated in the reason. */
	private static final int MAX_QUOTED = 100;

	private final List<String> patterns;

	private final List<Pattern> anchored;

	private final boolean refuseLatest;

	private ImagePolicy(List<String> patterns, List<Pattern> anchored, boolean refuseLatest) {
		this.patterns = List.copyOf(patterns);
		this.anchored = List.copyOf(anchored);
		this.refuseLatest = refuseLatest;
	}

	/**
	 * Compiles the patterns, each anchored at both ends.
	 * @throws dev.socketproxy.config.InvalidConfigurationException for a pattern that is empty or not a valid RE2 regex
	 */
	public static ImagePolicy compile(String key, List<String> patterns, boolean refuseLatest) {
		List<Pattern> anchored = patterns.stream().map((pattern) -> AnchoredPattern.compile(key, pattern, "pattern")).toList();
		return new ImagePolicy(patterns, anchored, refuseLatest);
	}

	/** Whether images are restricted at all. */
	public boolean enabled() {
		return !this.anchored.isEmpty() || this.refuseLatest;
	}

	/** The allowed patterns, and {@code refuse-latest} if set, for the startup table. */
	@Override
	public String toString() {
		return this.patterns + (this.refuseLatest ? " refuse-latest" : "");
	}

	/**
	 * An image a container runs: the engine looks the name up with {@code latest} added, and
	 * failing that as an ID prefix, which no name pattern can vouch for.
	 */
	public Optional<String> containerImage(String image) {
		if (!this.anchored.isEmpty() && ImageReference.mayBeImageId(image)) {
			return Optional.of(quoted(image) + " may name an image by ID");
		}
		return named(image);
	}

	/** A name the engine tags or resolves with {@code latest} added when it has no tag: a build tag. */
	public Optional<String> named(String image) {
		if (image == null || image.isEmpty()) {
			return Optional.of("no image named");
		}
		return judge(ImageReference.parse(image).map(ImageReference::withDefaultTag), image);
	}

	/** What {@code POST /images/create} pulls (or, from {@code repo}, imports). */
	public Optional<String> pulled(String image, String tag) {
		if (image == null || image.isEmpty()) {
			return Optional.of("no image named");
		}
		return judge(ImageReference.pulled(image, tag), image);
	}

	private Optional<String> judge(Optional<ImageReference> reference, String raw) {
		if (reference.isEmpty()) {
			return Optional.of(quoted(raw) + " is not a valid image name");
		}
		String normalised = reference.get().toString();
		if (this.refuseLatest && reference.get().unpinnedOrLatest()) {
			return Optional.of(normalised + " (latest or untagged)");
		}
		if (!this.anchored.isEmpty() && this.anchored.stream().noneMatch((pattern) -> pattern.matches(normalised))) {
			return Optional.of(normalised);
		}
		return Optional.empty();
	}

	/** A client's value, bounded and with control characters replaced, for the log line. */
	private static String quoted(String raw) {
		String bounded = (raw.length() > MAX_QUOTED) ? raw.substring(0, MAX_QUOTED) + "..." : raw;
		StringBuilder quoted = new StringBuilder(bounded.length());
		bounded.chars().forEach((c) -> quoted.append((c < 0x20 || c == 0x7f) ? '?' : (char) c));
		return quoted.toString();
	}

}
