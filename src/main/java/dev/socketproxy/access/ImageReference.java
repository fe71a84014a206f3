package dev.socketproxy.access;

import java.util.Locale;
import java.util.Optional;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * An image reference as Docker's {@code reference.ParseNormalizedNamed} reads it: a
 * registry ({@code docker.io} unless the first path component contains {@code .} or
 * {@code :}, is {@code localhost}, or has capitals), {@code library/} before a
 * single-component Docker Hub name, an optional tag and an optional digest. A reference
 * that does not follow Docker's grammar is not an image the engine would use, and reads
 * as none. The patterns are RE2's, so a long hostile reference costs linear time.
 *
 * @param name the registry and repository path, e.g. {@code docker.io/library/nginx}
 * @param tag the tag, or {@code null}
 * @param digest the digest, e.g. {@code sha256:…}, or {@code null}
 */
public record ImageReference(String name, String tag, String digest) {

	/** The longest name Docker accepts, registry included. */
	private static final int MAX_NAME_LENGTH = 255;

	/** Longer than any name, tag and digest together. */
	private static final int MAX_REFERENCE_LENGTH = 1024;

	private static final String ALPHANUMERIC = "[a-z0-9]+";

	private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:(?:[._]|__|-+)" + ALPHANUMERIC + ")*";

	private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";

	private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT
			+ ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";

	private static final String TAG = "[\\w][\\w.-]{0,127}";

	private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

	private static final Pattern REFERENCE = Pattern.compile("((?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/"
			+ PATH_COMPONENT + ")*)(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");

	private static final Pattern DIGEST_ONLY = Pattern.compile(DIGEST);

	private static final Pattern TAG_ONLY = Pattern.compile(TAG);

	/** What the engine may resolve as an image ID, or a prefix of one, instead of a name. */
	private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?[a-f0-9]{1,64}");

	/** The reference normalised, without adding a tag; empty if Docker would not parse it. */
	public static Optional<ImageReference> parse(String reference) {
		if (reference == null || reference.length() > MAX_REFERENCE_LENGTH) {
			return Optional.empty();
		}
		Matcher matcher = REFERENCE.matcher(reference);
		if (!matcher.matches() || matcher.group(1).length() > MAX_NAME_LENGTH) {
			return Optional.empty();
		}
		return Optional.of(new ImageReference(normalisedName(matcher.group(1)), matcher.group(2), matcher.group(3)));
	}

	/**
	 * What a pull of {@code fromImage} with {@code tag} fetches, as the engine's
	 * {@code POST /images/create} combines them: a digest in {@code tag} replaces the
	 * name's tag and digest, any other {@code tag} replaces its tag. Without a tag or
	 * digest the engine pulls every tag of the name, which stays untagged here.
	 */
	public static Optional<ImageReference> pulled(String fromImage, String tag) {
		Optional<ImageReference> image = parse(fromImage);
		if (image.isEmpty() || tag == null || tag.isEmpty()) {
			return image;
		}
		if (DIGEST_ONLY.matcher(tag).matches()) {
			return Optional.of(new ImageReference(image.get().name(), null, tag));
		}
		if (!TAG_ONLY.matcher(tag).matches()) {
			return Optional.empty();
		}
		return Optional.of(new ImageReference(image.get().name(), tag, image.get().digest()));
	}

	/** Whether the engine may read {@code reference} as an image ID (or ID prefix) rather than a name. */
	public static boolean mayBeImageId(String reference) {
		return reference != null && IMAGE_ID.matcher(reference).matches();
	}

	/** Docker's {@code TagNameOnly}: {@code latest} for a reference with neither tag nor digest. */
	public ImageReference withDefaultTag() {
		return (this.tag == null && this.digest == null) ? new ImageReference(this.name, "latest", null) : this;
	}

	/** Whether the reference names {@code latest}, or no version at all. */
	public boolean unpinnedOrLatest() {
		return this.digest == null && (this.tag == null || this.tag.equals("latest"));
	}

	/** The normalised form the patterns match, e.g. {@code docker.io/library/nginx:latest}. */
	@Override
	public String toString() {
		return this.name + ((this.tag != null) ? ":" + this.tag : "") + ((this.digest != null) ? "@" + this.digest : "");
	}

	/** Docker's {@code splitDockerDomain}. */
	private static String normalisedName(String name) {
		int slash = name.indexOf('/');
		String first = (slash >= 0) ? name.substring(0, slash) : "";
		boolean registry = slash >= 0 && (first.indexOf('.') >= 0 || first.indexOf(':') >= 0
				|| first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT)));
		String domain = registry ? first : "docker.io";
		String remainder = registry ? name.substring(slash + 1) : name;
		if (domain.equals("index.docker.io")) {
			domain = "docker.io";
		}
		if (domain.equals("docker.io") && remainder.indexOf('/') < 0) {
			remainder = "library/" + remainder;
		}
		return domain + "/" + remainder;
	}

}
