package com.google.re2j;

import java.util.function.IntPredicate;

/**
 * A read-only view of the instructions RE2/J compiled for a {@link Pattern}, so that
 * {@code dev.socketproxy.access.PathAutomaton} can build a DFA from RE2/J's own program and
 * judge paths exactly as RE2/J does, without a regex parser of its own.
 * <p>
 * It lives in RE2/J's package because RE2/J has no public API for its program
 * ({@code Prog} and {@code Inst} are package-private); RE2/J's jar is not sealed, and on the
 * class path one package name in two jars is one runtime package. It copies what it reads,
 * so the view is immutable. The rune tests are those of RE2/J's matcher
 * ({@code Machine.step}). {@code PatternProgramTest} fails if an RE2/J upgrade changes
 * these internals; an instruction code it does not know is refused here. It is listed with the
 * other framework workarounds in {@code dev.socketproxy.compat}, whose
 * {@code PatternProgramCanaryTest} fails once RE2/J makes its program public.
 */
public final class PatternProgram {

	/** What an instruction does, as far as deciding a whole-path match goes. */
	public enum Op {

		/** Go on at {@code out} and at {@code arg}. */
		ALT,
		/** Go on at {@code out} and at {@code arg} (RE2/J treats it as {@link #ALT}). */
		ALT_MATCH,
		/** Records a group boundary; go on at {@code out}. */
		CAPTURE,
		/** Go on at {@code out}. */
		NOP,
		/** {@code ^} without {@code (?m)}, {@code \A}: go on at {@code out} at the start of the text only. */
		BEGIN_TEXT,
		/** {@code $} without {@code (?m)}, {@code \z}: go on at {@code out} at the end of the text only. */
		END_TEXT,
		/** A line anchor ({@code (?m)^}, {@code (?m)$}), a word boundary ({@code \b}, {@code \B}). */
		OTHER_EMPTY_WIDTH,
		/** No match on this branch. */
		FAIL,
		/** A match, if the text ends here. */
		MATCH,
		/** Consumes one rune that passes {@link #matchesRune}; go on at {@code out}. */
		RUNE

	}

	private final int start;

	private final Op[] ops;

	private final int[] outs;

	private final int[] args;

	private final IntPredicate[] runeTests;

	private PatternProgram(Prog prog) {
		int size = prog.numInst();
		this.start = prog.start;
		this.ops = new Op[size];
		this.outs = new int[size];
		this.args = new int[size];
		this.runeTests = new IntPredicate[size];
		for (int pc = 0; pc < size; pc++) {
			Inst inst = prog.getInst(pc);
			this.ops[pc] = op(inst);
			this.outs[pc] = inst.out;
			this.args[pc] = inst.arg;
			this.runeTests[pc] = runeTest(inst);
		}
	}

	/** The program RE2/J runs for {@code pattern}. */
	public static PatternProgram of(Pattern pattern) {
		return new PatternProgram(pattern.re2().prog);
	}

	/** The number of instructions. */
	public int size() {
		return this.ops.length;
	}

	/** Where matching starts. */
	public int start() {
		return this.start;
	}

	public Op op(int pc) {
		return this.ops[pc];
	}

	/** The next instruction. */
	public int out(int pc) {
		return this.outs[pc];
	}

	/** The other next instruction of {@link Op#ALT} and {@link Op#ALT_MATCH}. */
	public int arg(int pc) {
		return this.args[pc];
	}

	/** Whether the {@link Op#RUNE} instruction at {@code pc} consumes {@code rune}. */
	public boolean matchesRune(int pc, int rune) {
		return this.runeTests[pc].test(rune);
	}

	private static Op op(Inst inst) {
		return switch (inst.op) {
			case Inst.ALT -> Op.ALT;
			case Inst.ALT_MATCH -> Op.ALT_MATCH;
			case Inst.CAPTURE -> Op.CAPTURE;
			case Inst.NOP -> Op.NOP;
			case Inst.EMPTY_WIDTH -> switch (inst.arg) {
				case Utils.EMPTY_BEGIN_TEXT -> Op.BEGIN_TEXT;
				case Utils.EMPTY_END_TEXT -> Op.END_TEXT;
				default -> Op.OTHER_EMPTY_WIDTH;
			};
			case Inst.FAIL -> Op.FAIL;
			case Inst.MATCH -> Op.MATCH;
			case Inst.RUNE, Inst.RUNE1, Inst.RUNE_ANY, Inst.RUNE_ANY_NOT_NL -> Op.RUNE;
			default -> throw new IllegalStateException("RE2/J instruction code " + inst.op + " is unknown to "
					+ PatternProgram.class.getName() + ": RE2/J's internals changed");
		};
	}

	private static IntPredicate runeTest(Inst inst) {
		return switch (inst.op) {
			case Inst.RUNE -> inst::matchRune;
			case Inst.RUNE1 -> {
				int only = inst.runes[0];
				yield (rune) -> rune == only;
			}
			case Inst.RUNE_ANY -> (rune) -> true;
			case Inst.RUNE_ANY_NOT_NL -> (rune) -> rune != '\n';
			default -> (rune) -> false;
		};
	}

}
