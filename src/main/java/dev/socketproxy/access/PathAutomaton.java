package dev.socketproxy.access;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.re2j.Pattern;
import com.google.re2j.PatternProgram;
import com.google.re2j.PatternProgram.Op;

/**
 * A deterministic automaton that tells whether an ASCII path matches any of some anchored
 * RE2/J patterns, one table look-up per character whatever the number of patterns.
 * <p>
 * RE2/J 1.8 simulates each pattern's program as an NFA, about a microsecond per rule for a
 * Docker API path. This automaton is built once, by subset construction, from RE2/J's own
 * programs of the patterns ({@link PatternProgram}), so its verdicts are RE2/J's: there is no
 * second regex parser whose dialect could differ. Only ASCII is covered, so RE2/J alone
 * decides anything about other characters (case folding, Unicode classes, surrogates):
 * {@link #match} answers {@link Outcome#NOT_ASCII} for a path it cannot judge. Patterns with
 * line anchors or word boundaries, and sets of patterns that need more than a given number of
 * states, get no automaton.
 * <p>
 * Immutable once built, so the event loops share it without locking.
 */
final class PathAutomaton {

	private static final int ASCII = 128;

	private static final int DEAD = 0;

	private static final int START = 1;

	/** Characters that every instruction treats alike share a class, and a table column. */
	private final byte[] classOf;

	private final int classes;

	/**
	 * State {@code n} is the offset of its row, {@code n * classes}, so that the next state is
	 * one look-up away: {@code next[state + class]}.
	 */
	private final int[] next;

	/** Whether a path that ends in a state matches, at the state's offset. */
	private final boolean[] accepting;

	private PathAutomaton(byte[] classOf, int classes, int[] next, boolean[] accepting) {
		this.classOf = classOf;
		this.classes = classes;
		this.next = next;
		this.accepting = accepting;
	}

	/**
	 * Builds the automaton for a path matching any of {@code patterns}, or nothing if a
	 * pattern needs an empty-width test other than {@code ^} and {@code $} without
	 * {@code (?m)}, or if it would need more than {@code maxStates} states.
	 */
	static Optional<PathAutomaton> of(List<Pattern> patterns, int maxStates) {
		return Builder.of(patterns).flatMap((builder) -> builder.build(maxStates));
	}

	/** The number of states, the dead one included. */
	int states() {
		return this.next.length / this.classes;
	}

	/** Whether {@code path} matches one of the patterns; {@link Outcome#NOT_ASCII} if it cannot tell. */
	Outcome match(String path) {
		int state = START * this.classes;
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c >= ASCII) {
				return Outcome.NOT_ASCII;
			}
			state = this.next[state + this.classOf[c]];
			if (state == DEAD) {
				// No pattern can match any continuation of an ASCII prefix that leaves no thread alive.
				return Outcome.NO_MATCH;
			}
		}
		return this.accepting[state] ? Outcome.MATCH : Outcome.NO_MATCH;
	}

	/** The answer of {@link #match}. */
	enum Outcome {

		MATCH, NO_MATCH, NOT_ASCII

	}

	/**
	 * The programs of all patterns side by side, each pattern's instructions numbered after
	 * those of the patterns before it; a state of the automaton is the set of instructions
	 * the NFA threads wait at: runes, {@code $} tests and matches.
	 */
	private static final class Builder {

		private final Op[] ops;

		private final int[] outs;

		private final int[] args;

		private final int[] starts;

		/** For each {@link Op#RUNE} instruction, the ASCII characters it consumes. */
		private final BitSet[] consumes;

		private Builder(List<PatternProgram> programs) {
			int size = programs.stream().mapToInt(PatternProgram::size).sum();
			this.ops = new Op[size];
			this.outs = new int[size];
			this.args = new int[size];
			this.starts = new int[programs.size()];
			this.consumes = new BitSet[size];
			int offset = 0;
			for (int p = 0; p < programs.size(); p++) {
				PatternProgram program = programs.get(p);
				this.starts[p] = offset + program.start();
				for (int pc = 0; pc < program.size(); pc++) {
					int global = offset + pc;
					this.ops[global] = program.op(pc);
					this.outs[global] = offset + program.out(pc);
					this.args[global] = offset + program.arg(pc);
					if (this.ops[global] == Op.RUNE) {
						this.consumes[global] = new BitSet(ASCII);
						for (int c = 0; c < ASCII; c++) {
							if (program.matchesRune(pc, c)) {
								this.consumes[global].set(c);
							}
						}
					}
				}
				offset += program.size();
			}
		}

		static Optional<Builder> of(List<Pattern> patterns) {
			List<PatternProgram> programs = patterns.stream().map(PatternProgram::of).toList();
			for (PatternProgram program : programs) {
				for (int pc = 0; pc < program.size(); pc++) {
					if (program.op(pc) == Op.OTHER_EMPTY_WIDTH) {
						return Optional.empty();
					}
				}
			}
			return Optional.of(new Builder(programs));
		}

		Optional<PathAutomaton> build(int maxStates) {
			byte[] classOf = new byte[ASCII];
			int classes = characterClasses(classOf);
			int[] representative = new int[classes];
			for (int c = ASCII - 1; c >= 0; c--) {
				representative[classOf[c]] = c;
			}
			List<BitSet> states = new ArrayList<>(List.of(new BitSet(), startSet()));
			// The start state is not looked up: a later state with the same instructions is not at the start of the path.
			Map<BitSet, Integer> numbers = new HashMap<>(Map.of(states.get(DEAD), DEAD));
			List<int[]> rows = new ArrayList<>();
			for (int state = 0; state < states.size(); state++) {
				int[] row = new int[classes];
				for (int k = 0; k < classes; k++) {
					BitSet target = step(states.get(state), representative[k]);
					Integer number = numbers.get(target);
					if (number == null) {
						if (states.size() == maxStates) {
							return Optional.empty();
						}
						number = states.size();
						states.add(target);
						numbers.put(target, number);
					}
					row[k] = number;
				}
				rows.add(row);
			}
			int[] next = new int[states.size() * classes];
			boolean[] accepting = new boolean[next.length];
			for (int state = 0; state < states.size(); state++) {
				int[] row = rows.get(state);
				for (int k = 0; k < classes; k++) {
					next[state * classes + k] = row[k] * classes;
				}
				accepting[state * classes] = acceptsAtEnd(states.get(state), state == START);
			}
			return Optional.of(new PathAutomaton(classOf, classes, next, accepting));
		}

		/** Splits ASCII into classes of characters that every rune instruction treats alike. */
		private int characterClasses(byte[] classOf) {
			int classes = 1;
			for (BitSet consumed : this.consumes) {
				if (consumed == null) {
					continue;
				}
				int[] renumbered = new int[classes * 2];
				int split = 0;
				for (int c = 0; c < ASCII; c++) {
					int key = classOf[c] * 2 + (consumed.get(c) ? 1 : 0);
					if (renumbered[key] == 0) {
						renumbered[key] = ++split;
					}
					classOf[c] = (byte) (renumbered[key] - 1);
				}
				classes = split;
			}
			return classes;
		}

		private BitSet startSet() {
			BitSet waiting = new BitSet();
			for (int start : this.starts) {
				follow(start, true, false, waiting, new BitSet());
			}
			return waiting;
		}

		private BitSet step(BitSet waiting, int c) {
			BitSet after = new BitSet();
			BitSet visited = new BitSet();
			for (int pc = waiting.nextSetBit(0); pc >= 0; pc = waiting.nextSetBit(pc + 1)) {
				if (this.ops[pc] == Op.RUNE && this.consumes[pc].get(c)) {
					follow(this.outs[pc], false, false, after, visited);
				}
			}
			return after;
		}

		private boolean acceptsAtEnd(BitSet waiting, boolean atStart) {
			BitSet atEnd = new BitSet();
			BitSet visited = new BitSet();
			for (int pc = waiting.nextSetBit(0); pc >= 0; pc = waiting.nextSetBit(pc + 1)) {
				follow(pc, atStart, true, atEnd, visited);
			}
			for (int pc = atEnd.nextSetBit(0); pc >= 0; pc = atEnd.nextSetBit(pc + 1)) {
				if (this.ops[pc] == Op.MATCH) {
					return true;
				}
			}
			return false;
		}

		/**
		 * Adds to {@code waiting} the instructions reachable from {@code from} without
		 * consuming a character, where the threads wait: runes and matches, and {@code $}
		 * tests unless {@code atEnd} already passes them.
		 */
		private void follow(int from, boolean atStart, boolean atEnd, BitSet waiting, BitSet visited) {
			Deque<Integer> pending = new ArrayDeque<>(List.of(from));
			while (!pending.isEmpty()) {
				int pc = pending.pop();
				if (visited.get(pc)) {
					continue;
				}
				visited.set(pc);
				switch (this.ops[pc]) {
					case ALT, ALT_MATCH -> {
						pending.push(this.args[pc]);
						pending.push(this.outs[pc]);
					}
					case CAPTURE, NOP -> pending.push(this.outs[pc]);
					case BEGIN_TEXT -> {
						if (atStart) {
							pending.push(this.outs[pc]);
						}
					}
					case END_TEXT -> {
						if (atEnd) {
							pending.push(this.outs[pc]);
						}
						else {
							waiting.set(pc);
						}
					}
					case RUNE, MATCH -> waiting.set(pc);
					case FAIL -> {
					}
					case OTHER_EMPTY_WIDTH -> throw new IllegalStateException("no automaton for " + Op.OTHER_EMPTY_WIDTH);
				}
			}
		}

	}

}
