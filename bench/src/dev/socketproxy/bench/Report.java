package dev.socketproxy.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleBiFunction;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** Writes {@code results.md} and {@code results.png} under the results directory. */
final class Report {

	private final Results results;

	private final Options options;

	Report(Results results, Options options) {
		this.results = results;
		this.options = options;
	}

	void write() throws IOException {
		Files.createDirectories(this.options.results());
		Files.writeString(this.options.results().resolve(fileName()), markdown());
		if (!this.results.load.isEmpty()) {
			chart(this.options.results().resolve("results.png"));
		}
	}

	/** {@code reliability.md} for {@code --reliability}, so that its run leaves the performance results alone. */
	String fileName() {
		return this.options.reliability() ? "reliability.md" : "results.md";
	}

	String markdown() {
		StringBuilder md = new StringBuilder("# socket-proxy benchmark results\n\n");
		this.results.machine.forEach((key, value) -> md.append("- ").append(key).append(": ").append(value).append('\n'));
		md.append("""

				The machine is shared (other builds and tests may run at the same time), so absolute numbers
				move by 15-25 % from run to run; the **ratios** between targets measured in the same run, with
				alternating rounds, are what to compare. Every target forwards to the same nginx (one worker)
				on the same Unix socket; wrk, nginx and the target share the same cores.
				""");
		Results r = this.results;
		for (String scenario : Results.SCENARIO_ORDER) {
			if (!r.load.containsKey(scenario)) {
				continue;
			}
			md.append("\n## ").append(scenario).append(": wrk -t").append(this.options.threads()).append(" -c")
				.append(this.options.connections()).append(", ").append(this.options.seconds()).append(" s, median of ")
				.append(this.options.rounds()).append(" alternating rounds\n\n");
			md.append("| target | req/s | p50 | p99 | CPU per request | errors |\n|---|---:|---:|---:|---:|---:|\n");
			for (String key : r.targets()) {
				md.append("| ").append(r.labels.get(key)).append(" | ").append(fmt(r.medianRps(scenario, key), 0))
					.append(" | ").append(micros(r.medianP50(scenario, key))).append(" | ")
					.append(micros(r.medianP99(scenario, key))).append(" | ")
					.append(fmt(r.medianCpu(scenario, key), 1)).append(" µs | ").append(r.errors(scenario, key))
					.append(" |\n");
			}
			md.append("\nsocket-proxy as a ratio of each baseline (throughput: higher is better; latency: lower is better)\n\n");
			md.append("| socket-proxy | vs | throughput | p50 | p99 |\n|---|---|---:|---:|---:|\n");
			List<String> versus = new ArrayList<>(r.baselines);
			if (r.before != null) {
				versus.add(r.before);
			}
			for (String proxy : r.proxies) {
				if (proxy.equals(r.before)) {
					continue;
				}
				for (String baseline : versus) {
					md.append("| ").append(r.labels.get(proxy)).append(" | ").append(r.labels.get(baseline)).append(" | ")
						.append(ratio(r.medianRps(scenario, proxy), r.medianRps(scenario, baseline))).append(" | ")
						.append(ratio(r.medianP50(scenario, proxy), r.medianP50(scenario, baseline))).append(" | ")
						.append(ratio(r.medianP99(scenario, proxy), r.medianP99(scenario, baseline))).append(" |\n");
				}
			}
		}
		if (!r.idleRssKib.isEmpty()) {
			md.append("\n## Memory of socket-proxy (from /proc/<pid>/status)\n\n");
			md.append("| JVM flags | idle RSS (VmRSS after startup) | peak RSS (VmHWM after all load) |\n|---|---:|---:|\n");
			for (String key : r.proxies) {
				md.append("| ").append(r.labels.get(key)).append(" | ").append(mib(r.idleRssKib.get(key))).append(" | ")
					.append(mib(r.peakRssKib.get(key))).append(" |\n");
			}
		}
		if (!r.startupMillis.isEmpty()) {
			md.append("\n## Startup: JVM launch to the first proxied 200\n\n| JVM flags | median | runs |\n|---|---:|---|\n");
			r.startupMillis.forEach((label, runs) -> md.append("| ").append(label).append(" | ")
				.append(fmt(Stats.median(runs), 0)).append(" ms | ").append(list(runs, 0)).append(" |\n"));
		}
		if (!r.eventMicros.isEmpty()) {
			md.append("\n## Event latency: backend writes an event, the streaming client reads it\n\n");
			md.append("All through nginx's `proxy_buffering off` hop, so the direct row is the floor.\n\n");
			md.append("| target | events | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n");
			r.eventMicros.forEach((key, values) -> md.append("| ").append(r.labels.get(key)).append(" | ")
				.append(values.size()).append(" | ").append(micros(Stats.median(values))).append(" | ")
				.append(micros(Stats.percentile(values, 99))).append(" | ").append(micros(Stats.max(values)))
				.append(" |\n"));
		}
		if (!r.bodyMegabytesPerSecond.isEmpty()) {
			md.append("\n## ").append(this.options.blobMegabytes())
				.append(" MB response body, one connection\n\n| target | median MB/s | runs |\n|---|---:|---|\n");
			r.bodyMegabytesPerSecond.forEach((key, values) -> md.append("| ").append(r.labels.get(key)).append(" | ")
				.append(fmt(Stats.median(values), 0)).append(" | ").append(list(values, 0)).append(" |\n"));
		}
		for (Results.Table table : r.reliability) {
			md.append("\n## ").append(table.title()).append("\n\n").append(table.note()).append("\n\n| ")
				.append(String.join(" | ", table.header())).append(" |\n|---")
				.append("|---:".repeat(table.header().size() - 1)).append("|\n");
			table.rows().forEach((row) -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
		}
		if (!r.ruleEngineNanos.isEmpty()) {
			md.append("\n## Rule engine alone (JMH, `MethodRules.evaluate`, average time per decision)\n\n");
			md.append("`lastRule`: the last rule matches; `noRule`: no rule matches (refusal). `Repeated`: the same path each time;"
					+ " `RepeatedNewString`: the same path in a new string each time, as the proxy decodes it per request;"
					+ " `FirstSight`: a path not seen recently; all three ASCII, judged by the rules' automaton;"
					+ " `EachRule`: RE2/J alone, every anchored rule tried in turn, the engine before the automaton and the baseline of the ratio.\n\n");
			md.append("| benchmark | GET rules | ns per decision | ± (99.9 %) | decisions per second | time vs EachRule |\n"
					+ "|---|---:|---:|---:|---:|---:|\n");
			r.ruleEngineNanos.forEach((key, score) -> {
				String[] parts = key.split(",");
				String baselineKey = parts[0].replaceAll("(Repeated|RepeatedNewString|FirstSight)$", "EachRule") + "," + parts[1];
				double[] baseline = r.ruleEngineNanos.get(baselineKey);
				md.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ").append(fmt(score[0], 1))
					.append(" | ").append(fmt(score[1], 1)).append(" | ").append(fmt(1e9 / score[0], 0)).append(" | ")
					.append((baseline != null) ? fmt(score[0] / baseline[0], 2) + "×" : "").append(" |\n");
			});
		}
		return md.toString();
	}

	private void chart(Path file) throws IOException {
		Results r = this.results;
		List<JFreeChart> charts = List.of(
				bars("Throughput (req/s, median)", "req/s", (scenario, key) -> r.medianRps(scenario, key)),
				bars("p99 latency (ms, median)", "ms", (scenario, key) -> r.medianP99(scenario, key) / 1000),
				bars("CPU per request (µs, median)", "µs", (scenario, key) -> r.medianCpu(scenario, key)));
		int width = 1500;
		int height = 520;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.DARK_GRAY);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		g.drawString("socket-proxy vs baselines, same run: " + r.machine.getOrDefault("CPU", "") + ", "
				+ r.machine.getOrDefault("date", ""), 10, 18);
		int each = width / charts.size();
		for (int i = 0; i < charts.size(); i++) {
			charts.get(i).draw(g, new Rectangle2D.Double(i * each, 26, each, height - 26));
		}
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private JFreeChart bars(String title, String axis, ToDoubleBiFunction<String, String> value) {
		DefaultCategoryDataset dataset = new DefaultCategoryDataset();
		for (String scenario : Results.SCENARIO_ORDER) {
			if (this.results.load.containsKey(scenario)) {
				for (String key : this.results.targets()) {
					dataset.addValue(value.applyAsDouble(scenario, key), this.results.labels.get(key), scenario);
				}
			}
		}
		JFreeChart chart = ChartFactory.createBarChart(title, null, axis, dataset, PlotOrientation.VERTICAL, true, false,
				false);
		chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		chart.setBackgroundPaint(Color.WHITE);
		CategoryPlot plot = chart.getCategoryPlot();
		plot.setBackgroundPaint(new Color(0xF4F4F4));
		BarRenderer renderer = (BarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardBarPainter());
		renderer.setShadowVisible(false);
		renderer.setItemMargin(0.05);
		Color[] palette = { new Color(0x9E9E9E), new Color(0x6D8FB3), new Color(0x3B6EA5), new Color(0xE07B39),
				new Color(0xF2B134), new Color(0x5BA55B), new Color(0xA05BA5), new Color(0xC9463D) };
		for (int i = 0; i < this.results.targets().size(); i++) {
			renderer.setSeriesPaint(i, palette[i % palette.length]);
		}
		return chart;
	}

	private static String ratio(double ours, double theirs) {
		return fmt(ours / theirs, 2) + "×";
	}

	static String micros(double micros) {
		if (Double.isNaN(micros)) {
			return "-";
		}
		return micros >= 1000 ? fmt(micros / 1000, 2) + " ms" : fmt(micros, 0) + " µs";
	}

	private static String mib(Long kib) {
		return kib == null ? "-" : fmt(kib / 1024.0, 0) + " MiB";
	}

	static String fmt(double value, int decimals) {
		return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
	}

	private static String list(List<Double> values, int decimals) {
		return String.join(", ", values.stream().map((v) -> fmt(v, decimals)).toList());
	}

}
