package dev.socketproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation is split over README.md and docs/*.md, which link into each other by
 * file and heading: a renamed heading or a moved page would leave a link that leads nowhere
 * and that nobody notices on GitHub. Every relative link must reach a file, and its fragment a
 * heading of that file, with GitHub's anchors.
 */
class DocumentationLinksTest {

	private static final int README_MAX_LINES = 300;

	private static final Path ROOT = Path.of("").toAbsolutePath();

	private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

	private static final Pattern INLINE_CODE = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");

	/** {@code [text](target)} and {@code ![alt](target)}, with an optional title. */
	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern EXTERNAL = Pattern.compile("^(?:https?|mailto):.*", Pattern.CASE_INSENSITIVE);

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	@Test
	void everyRelativeLinkReachesAFileAndItsHeading() {
		List<Path> pages = pages();
		assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/security-model.md"));

		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path page : pages) {
			List<String> lines = readLines(page);
			boolean inFence = false;
			for (int i = 0; i < lines.size(); i++) {
				String line = lines.get(i);
				if (FENCE.matcher(line).find()) {
					inFence = !inFence;
					continue;
				}
				if (inFence) {
					continue;
				}
				Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
				while (link.find()) {
					String target = link.group(1);
					if (EXTERNAL.matcher(target).matches()) {
						continue;
					}
					checked++;
					String problem = problem(page, target);
					if (problem != null) {
						broken.add(ROOT.relativize(page) + ":" + (i + 1) + ": " + target + ": " + problem);
					}
				}
			}
			if (inFence) {
				broken.add(ROOT.relativize(page) + ": a code block is not closed, so links after it were not checked");
			}
		}
		assertThat(checked).as("relative links found").isPositive();
		assertThat(broken).as("links that lead nowhere").isEmpty();
	}

	@Test
	void readmeStaysShort() {
		assertThat(readLines(ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(README_MAX_LINES);
	}

	/** GitHub's rules, as the links in these pages rely on them. */
	@Test
	void anchorsFollowGitHubsRules() {
		assertThat(anchorsOf(List.of("# Migrating from Tecnativa / linuxserver (presets)", "## The fast path",
				"```", "# Not a heading", "```", "## The fast path", "### `--print-config` and _more_",
				"## The fast path", "#### What the image runs: JDK 25, and the two flags")))
			.containsExactlyInAnyOrder("migrating-from-tecnativa--linuxserver-presets", "the-fast-path",
					"the-fast-path-1", "--print-config-and-_more_", "the-fast-path-2",
					"what-the-image-runs-jdk-25-and-the-two-flags");
	}

	private String problem(Path page, String target) {
		int hash = target.indexOf('#');
		String file = (hash < 0) ? target : target.substring(0, hash);
		String fragment = (hash < 0) ? "" : target.substring(hash + 1);
		Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
		if (!resolved.startsWith(ROOT)) {
			return "outside the repository";
		}
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (fragment.isEmpty()) {
			return null;
		}
		if (!resolved.getFileName().toString().endsWith(".md")) {
			return "an anchor into a file that is not Markdown";
		}
		Set<String> known = this.anchors.computeIfAbsent(resolved, (md) -> anchorsOf(readLines(md)));
		return known.contains(fragment) ? null : "no heading with the anchor #" + fragment;
	}

	private static Set<String> anchorsOf(List<String> lines) {
		Set<String> anchors = new HashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean inFence = false;
		for (String line : lines) {
			if (FENCE.matcher(line).find()) {
				inFence = !inFence;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (inFence || !heading.matches()) {
				continue;
			}
			String slug = slug(heading.group(1));
			int count = seen.merge(slug, 1, Integer::sum);
			anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
		}
		return anchors;
	}

	/** Link text stays, code keeps its text; then lower case, punctuation out, spaces to '-'. */
	private static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
	}

	private static List<Path> pages() {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
