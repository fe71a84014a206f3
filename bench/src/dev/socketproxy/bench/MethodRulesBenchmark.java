package dev.socketproxy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.re2j.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.socketproxy.access.MethodRules;

/**
 * The rule engine alone: one {@link MethodRules#evaluate} per operation, with 1, 10 or 100
 * GET rules shaped like real Docker API rules. {@code lastRule} is the worst allowed case
 * (the last rule matches); {@code noRule} is a refused path (no rule matches). Each comes
 * three ways: {@code repeated} (the same path every time, as a polling client sends it),
 * {@code firstSight} (a path not seen recently, from a rotation larger than the memory of
 * verdicts) and {@code eachRule} (RE2/J alone, every anchored rule tried in turn, as the
 * engine judged before it had an automaton), the baseline for the ratios. The paths are
 * ASCII, so the automaton judges them all. {@code repeatedNewString} is {@code repeated}
 * with the path in a new string each time, as the proxy decodes it per request: its hash is
 * not computed yet, which is what a memory of verdicts would pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-XX:+UseSerialGC", "-Xmx64m" })
public class MethodRulesBenchmark {

	private static final int ROTATION = 8192;

	@Param({ "1", "10", "100" })
	int rules;

	private MethodRules methodRules;

	private List<Pattern> eachRule;

	private String[] lastRulePaths;

	private String[] noRulePaths;

	private int next;

	@Setup
	public void compile() {
		List<String> patterns = new ArrayList<>();
		for (int i = 0; i < this.rules; i++) {
			patterns.add("(/v1\\.[0-9]+)?/resource" + i + "(/[a-zA-Z0-9_.-]+)?/json");
		}
		this.methodRules = MethodRules.compile(Map.of("GET", patterns));
		this.eachRule = patterns.stream().map((rule) -> Pattern.compile("^(?:" + rule + ")$")).toList();
		this.lastRulePaths = new String[ROTATION];
		this.noRulePaths = new String[ROTATION];
		for (int i = 0; i < ROTATION; i++) {
			String id = String.format("%012x", 0x3f2a9c1b7d4eL + i);
			this.lastRulePaths[i] = "/v1.41/resource" + (this.rules - 1) + "/" + id + "/json";
			this.noRulePaths[i] = "/v1.41/secrets/" + id + "/json";
		}
	}

	private int rotate() {
		this.next = (this.next + 1) % ROTATION;
		return this.next;
	}

	@Benchmark
	public MethodRules.Verdict lastRuleRepeated() {
		return this.methodRules.evaluate("GET", this.lastRulePaths[0]);
	}

	@Benchmark
	public MethodRules.Verdict lastRuleRepeatedNewString() {
		return this.methodRules.evaluate("GET", new String(this.lastRulePaths[0]));
	}

	@Benchmark
	public MethodRules.Verdict noRuleRepeated() {
		return this.methodRules.evaluate("GET", this.noRulePaths[0]);
	}

	@Benchmark
	public MethodRules.Verdict noRuleRepeatedNewString() {
		return this.methodRules.evaluate("GET", new String(this.noRulePaths[0]));
	}

	@Benchmark
	public MethodRules.Verdict lastRuleFirstSight() {
		return this.methodRules.evaluate("GET", this.lastRulePaths[rotate()]);
	}

	@Benchmark
	public MethodRules.Verdict noRuleFirstSight() {
		return this.methodRules.evaluate("GET", this.noRulePaths[rotate()]);
	}

	@Benchmark
	public boolean lastRuleEachRule() {
		return anyMatches(this.lastRulePaths[rotate()]);
	}

	@Benchmark
	public boolean noRuleEachRule() {
		return anyMatches(this.noRulePaths[rotate()]);
	}

	private boolean anyMatches(String path) {
		for (Pattern pattern : this.eachRule) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

}
