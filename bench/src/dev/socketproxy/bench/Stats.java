package dev.socketproxy.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

final class Stats {

	private Stats() {
	}

	static double median(List<Double> values) {
		return percentile(values, 50);
	}

	/** Nearest-rank percentile; NaN for no values. */
	static double percentile(List<Double> values, double percent) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		if (percent == 50 && sorted.size() % 2 == 0) {
			return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
		}
		int rank = (int) Math.ceil(percent / 100 * sorted.size());
		return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
	}

	static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

}
