package dev.socketproxy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one harness run measured, keyed by target key in the order they ran. */
final class Results {

	/** Load scenarios: name to path. */
	static final Map<String, String> SCENARIOS = Map.of("570 B JSON", Backend.SMALL_PATH, "100 KB JSON",
			Backend.BIG_PATH);

	static final List<String> SCENARIO_ORDER = List.of("570 B JSON", "100 KB JSON");

	final Map<String, String> machine = new LinkedHashMap<>();

	final Map<String, String> labels = new LinkedHashMap<>();

	final List<String> baselines = new ArrayList<>();

	final List<String> proxies = new ArrayList<>();

	final Map<String, Map<String, List<Wrk.Run>>> load = new LinkedHashMap<>();

	final Map<String, Long> idleRssKib = new LinkedHashMap<>();

	final Map<String, Long> peakRssKib = new LinkedHashMap<>();

	final Map<String, List<Double>> startupMillis = new LinkedHashMap<>();

	final Map<String, List<Double>> eventMicros = new LinkedHashMap<>();

	final Map<String, List<Double>> bodyMegabytesPerSecond = new LinkedHashMap<>();

	/** "benchmark, rules" to ns/op and its 99.9 % error. */
	final Map<String, double[]> ruleEngineNanos = new LinkedHashMap<>();

	/** The reliability rows, one table each, in the order they ran. */
	final List<Table> reliability = new ArrayList<>();

	/** The target running {@code --baseline-jar}, or null: every ratio table compares against it too. */
	String before;

	/** A table of figures already formatted, one row per target. */
	record Table(String title, String note, List<String> header, List<List<String>> rows) {

		void add(List<String> row) {
			this.rows.add(row);
		}

	}

	Table table(String title, String note, String... header) {
		Table table = new Table(title, note, List.of(header), new ArrayList<>());
		this.reliability.add(table);
		return table;
	}

	void addTarget(Target target) {
		this.labels.put(target.key(), target.label());
		(target.baseline() ? this.baselines : this.proxies).add(target.key());
	}

	void addRun(String scenario, String key, Wrk.Run run) {
		this.load.computeIfAbsent(scenario, (s) -> new LinkedHashMap<>()).computeIfAbsent(key, (k) -> new ArrayList<>())
			.add(run);
	}

	List<Wrk.Run> runs(String scenario, String key) {
		return this.load.getOrDefault(scenario, Map.of()).getOrDefault(key, List.of());
	}

	double medianRps(String scenario, String key) {
		return Stats.median(runs(scenario, key).stream().map(Wrk.Run::requestsPerSecond).toList());
	}

	double medianP50(String scenario, String key) {
		return Stats.median(runs(scenario, key).stream().map(Wrk.Run::p50Micros).toList());
	}

	double medianP99(String scenario, String key) {
		return Stats.median(runs(scenario, key).stream().map(Wrk.Run::p99Micros).toList());
	}

	double medianCpu(String scenario, String key) {
		return Stats.median(runs(scenario, key).stream().map(Wrk.Run::cpuMicrosPerRequest).toList());
	}

	long errors(String scenario, String key) {
		return runs(scenario, key).stream().mapToLong(Wrk.Run::errors).sum();
	}

	List<String> targets() {
		List<String> all = new ArrayList<>(this.baselines);
		all.addAll(this.proxies);
		return all;
	}

}
