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
 * (every rule is tried, the last one matches); {@code noRule} is a refused path (every rule
 * is tried, none matches). The {@code combined*} pair measures an idea, not shipped code:
 * all rules of a method compiled into one RE2 alternation, matched in a single pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-XX:+UseSerialGC", "-Xmx64m" })
public class MethodRulesBenchmark {

	private static final String REFUSED_PATH = "/v1.41/secrets/3f2a9c1b7d4e/json";

	@Param({ "1", "10", "100" })
	int rules;

	private MethodRules methodRules;

	private String lastRulePath;

	private Pattern combined;

	@Setup
	public void compile() {
		List<String> patterns = new ArrayList<>();
		for (int i = 0; i < this.rules; i++) {
			patterns.add("(/v1\\.[0-9]+)?/resource" + i + "(/[a-zA-Z0-9_.-]+)?/json");
		}
		this.methodRules = MethodRules.compile(Map.of("GET", patterns));
		this.combined = Pattern.compile(String.join("|", patterns.stream().map((rule) -> "(?:" + rule + ")").toList()));
		this.lastRulePath = "/v1.41/resource" + (this.rules - 1) + "/3f2a9c1b7d4e/json";
	}

	@Benchmark
	public MethodRules.Verdict lastRule() {
		return this.methodRules.evaluate("GET", this.lastRulePath);
	}

	@Benchmark
	public MethodRules.Verdict noRule() {
		return this.methodRules.evaluate("GET", REFUSED_PATH);
	}

	@Benchmark
	public boolean combinedLastRule() {
		return this.combined.matches(this.lastRulePath);
	}

	@Benchmark
	public boolean combinedNoRule() {
		return this.combined.matches(REFUSED_PATH);
	}

}
