package dev.socketproxy.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal the code gives has its own kind, so no metric series is missing from the start. */
class RefusalReasonTest {

	/**
	 * The reason texts written in the code: the string that starts a {@link Denial}, a
	 * head check's refusal or an {@code InvalidBodyException}.
	 */
	private static final Pattern REASON_LITERAL = Pattern.compile(
			"(?:explained|engineError|refuse|reference|new Denial|InvalidBodyException|String reason =)\\(?\\s*(?:HttpStatus\\.\\w+,\\s*)?\"([^\"]+)\"");

	@Test
	void everyReasonInTheCodeHasAKind() throws IOException {
		List<String> reasons = reasonLiterals();

		assertThat(reasons).hasSizeGreaterThan(20)
			.contains("forbidden IP", "malformed body: ", "upgrade request body too large", "method override header ");
		assertThat(reasons).allSatisfy((reason) -> assertThat(RefusalReason.of(reason)).as(reason)
			.isNotEqualTo(RefusalReason.OTHER));
	}

	@Test
	void detailsAfterTheKindAreDropped() {
		assertThat(RefusalReason.of("bind mount restriction: /etc is outside /srv"))
			.isEqualTo(RefusalReason.BIND_MOUNT_RESTRICTION);
		assertThat(RefusalReason.of("body larger than 1048576 bytes")).isEqualTo(RefusalReason.BODY_TOO_LARGE);
		assertThat(RefusalReason.of("method override header X-HTTP-Method")).isEqualTo(RefusalReason.METHOD_OVERRIDE_HEADER);
		assertThat(RefusalReason.of("path not allowedness")).isEqualTo(RefusalReason.OTHER);
		assertThat(Denial.PATH_NOT_ALLOWED.kind().label()).isEqualTo("path_not_allowed");
	}

	private static Stream<Path> walk(Path dir) {
		try {
			return Files.walk(dir);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static List<String> reasonLiterals() throws IOException {
		// Refusals are made where requests are judged: the access decisions, the upgrade tunnel, redaction and scopes.
		try (Stream<Path> files = Stream.of("access", "upstream", "redact", "scope")
			.flatMap((dir) -> walk(Path.of("src/main/java/dev/socketproxy", dir)))) {
			return files.filter((file) -> file.toString().endsWith(".java")).flatMap((file) -> {
				try {
					Matcher literal = REASON_LITERAL.matcher(Files.readString(file));
					return literal.results().map((match) -> match.group(1)).toList().stream();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).toList();
		}
	}

}
