package com.google.re2j;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the program RE2/J 1.8 compiles for a few patterns, as {@link PatternProgram} shows it:
 * an RE2/J upgrade that changes its instructions, their numbering or their rune tests makes
 * this fail before the automaton built from them can judge a path differently.
 */
class PatternProgramTest {

	@Test
	void showsEveryInstructionOfAnAnchoredRuleWithTheASCIICharactersEachRuneConsumes() {
		assertThat(listing("^(?:/a|[b-c](?i)k.)$")).containsExactly("0 FAIL", "1 BEGIN_TEXT ->7", "2 RUNE '/' ->3",
				"3 RUNE 'a' ->8", "4 RUNE 'bc' ->5", "5 RUNE 'Kk' ->6", "6 RUNE '" + asciiButNewline() + "' ->8",
				"7 ALT ->2 ->4", "8 END_TEXT ->9", "9 MATCH");
		assertThat(start("^(?:/a|[b-c](?i)k.)$")).isEqualTo(1);
	}

	@Test
	void showsCapturesEmptyAlternativesAndRepetitions() {
		assertThat(listing("(a)|")).containsExactly("0 FAIL", "1 CAPTURE ->2", "2 RUNE 'a' ->3", "3 CAPTURE ->6",
				"4 NOP ->6", "5 ALT ->1 ->4", "6 MATCH");
		assertThat(start("(a)|")).isEqualTo(5);
		assertThat(listing("a{2,3}")).containsExactly("0 FAIL", "1 RUNE 'a' ->2", "2 RUNE 'a' ->4", "3 RUNE 'a' ->5",
				"4 ALT ->3 ->5", "5 MATCH");
	}

	@Test
	void tellsTextAnchorsFromLineAnchorsAndWordBoundaries() {
		assertThat(listing("\\z\\A")).containsExactly("0 FAIL", "1 END_TEXT ->2", "2 BEGIN_TEXT ->3", "3 MATCH");
		assertThat(listing("(?m)^a$")).containsExactly("0 FAIL", "1 OTHER_EMPTY_WIDTH ->2", "2 RUNE 'a' ->3",
				"3 OTHER_EMPTY_WIDTH ->4", "4 MATCH");
		assertThat(listing("\\ba\\B")).containsExactly("0 FAIL", "1 OTHER_EMPTY_WIDTH ->2", "2 RUNE 'a' ->3",
				"3 OTHER_EMPTY_WIDTH ->4", "4 MATCH");
	}

	@Test
	void runeTestsAreRE2JsBeyondASCIIToo() {
		PatternProgram dotAll = PatternProgram.of(Pattern.compile("(?s)."));
		PatternProgram caseFolded = PatternProgram.of(Pattern.compile("(?i)k"));
		PatternProgram letter = PatternProgram.of(Pattern.compile("\\pL"));

		assertThat(dotAll.matchesRune(1, '\n')).isTrue();
		assertThat(dotAll.matchesRune(1, 0x1F600)).isTrue();
		assertThat(caseFolded.matchesRune(1, '\u212A')).as("Kelvin sign").isTrue();
		assertThat(caseFolded.matchesRune(1, 'j')).isFalse();
		assertThat(letter.matchesRune(1, '\u00e9')).isTrue();
		assertThat(letter.matchesRune(1, '1')).isFalse();
	}

	private static int start(String regex) {
		return PatternProgram.of(Pattern.compile(regex)).start();
	}

	private static List<String> listing(String regex) {
		PatternProgram program = PatternProgram.of(Pattern.compile(regex));
		List<String> listing = new ArrayList<>();
		for (int pc = 0; pc < program.size(); pc++) {
			PatternProgram.Op op = program.op(pc);
			StringBuilder line = new StringBuilder(pc + " " + op);
			if (op == PatternProgram.Op.RUNE) {
				StringBuilder consumed = new StringBuilder();
				for (int c = 0; c < 128; c++) {
					if (program.matchesRune(pc, c)) {
						consumed.append((char) c);
					}
				}
				line.append(" '").append(consumed).append("'");
			}
			if (op != PatternProgram.Op.FAIL && op != PatternProgram.Op.MATCH) {
				line.append(" ->").append(program.out(pc));
			}
			if (op == PatternProgram.Op.ALT || op == PatternProgram.Op.ALT_MATCH) {
				line.append(" ->").append(program.arg(pc));
			}
			listing.add(line.toString());
		}
		return listing;
	}

	/** What {@code .} consumes in ASCII: everything but a newline. */
	private static String asciiButNewline() {
		StringBuilder all = new StringBuilder();
		for (int c = 0; c < 128; c++) {
			if (c != '\n') {
				all.append((char) c);
			}
		}
		return all.toString();
	}

}
