package dev.socketproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No two main packages depend on each other, directly or through others: a package can
 * then be read, and tested, knowing only the packages below it. Dependencies are the
 * {@code import} statements of {@code src/main/java}.
 */
class PackageCycleTest {

	private static final Path SOURCES = Path.of("src/main/java");

	private static final String ROOT = "dev.socketproxy";

	private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(" + Pattern.quote(ROOT)
			+ "(?:\\.\\w+)*)\\s*;", Pattern.MULTILINE);

	@Test
	void mainPackagesFormNoCycle() throws IOException {
		Map<String, Set<String>> dependencies = dependencies();
		assertThat(dependencies).as("packages found").containsKeys(ROOT + ".access", ROOT + ".upstream");
		assertThat(cycles(dependencies)).as("package cycles (strongly connected packages)").isEmpty();
	}

	@Test
	void findsACycle() {
		Map<String, Set<String>> dependencies = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d",
				Set.of("a"));
		assertThat(cycles(dependencies)).containsExactly(List.of("a", "b", "c"));
	}

	/** Each package and the other packages its sources import from. */
	private static Map<String, Set<String>> dependencies() throws IOException {
		Map<String, String> sources = new HashMap<>();
		try (Stream<Path> files = Files.walk(SOURCES.resolve(ROOT.replace('.', '/')))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				sources.put(file.toString(), Files.readString(file));
			}
		}
		Map<String, Set<String>> dependencies = new TreeMap<>();
		sources.keySet()
			.forEach((file) -> dependencies.put(packageOf(Path.of(file)), new TreeSet<>()));
		sources.forEach((file, text) -> {
			String from = packageOf(Path.of(file));
			Matcher imported = IMPORT.matcher(text);
			while (imported.find()) {
				String to = knownPackage(imported.group(1), dependencies.keySet());
				if (!to.equals(from)) {
					dependencies.get(from).add(to);
				}
			}
		});
		return dependencies;
	}

	private static String packageOf(Path file) {
		return SOURCES.relativize(file.getParent()).toString().replace('/', '.');
	}

	/** The longest known package an imported name starts with: a class, a nested class or a static member. */
	private static String knownPackage(String name, Set<String> packages) {
		String candidate = name;
		while (!packages.contains(candidate)) {
			candidate = candidate.substring(0, candidate.lastIndexOf('.'));
		}
		return candidate;
	}

	/** Tarjan's strongly connected components with more than one package, each sorted. */
	static List<List<String>> cycles(Map<String, Set<String>> dependencies) {
		Tarjan tarjan = new Tarjan(dependencies);
		new TreeSet<>(dependencies.keySet()).forEach((node) -> {
			if (!tarjan.index.containsKey(node)) {
				tarjan.visit(node);
			}
		});
		return tarjan.components.stream().filter((component) -> component.size() > 1).toList();
	}

	private static final class Tarjan {

		private final Map<String, Set<String>> edges;

		private final Map<String, Integer> index = new HashMap<>();

		private final Map<String, Integer> lowLink = new HashMap<>();

		private final Deque<String> stack = new ArrayDeque<>();

		private final List<List<String>> components = new ArrayList<>();

		Tarjan(Map<String, Set<String>> edges) {
			this.edges = edges;
		}

		void visit(String node) {
			this.index.put(node, this.index.size());
			this.lowLink.put(node, this.index.get(node));
			this.stack.push(node);
			for (String next : this.edges.getOrDefault(node, Set.of())) {
				if (!this.index.containsKey(next)) {
					visit(next);
					this.lowLink.put(node, Math.min(this.lowLink.get(node), this.lowLink.get(next)));
				}
				else if (this.stack.contains(next)) {
					this.lowLink.put(node, Math.min(this.lowLink.get(node), this.index.get(next)));
				}
			}
			if (this.lowLink.get(node).equals(this.index.get(node))) {
				Set<String> component = new TreeSet<>();
				String member;
				do {
					member = this.stack.pop();
					component.add(member);
				}
				while (!member.equals(node));
				this.components.add(List.copyOf(component));
			}
		}

	}

}
