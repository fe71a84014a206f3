package dev.socketproxy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and memory of a process tree, read from {@code /proc}: what the kernel
 * charged, not what the process reports about itself.
 */
final class ProcStats {

	/** USER_HZ; 100 on every Linux this runs on (checked with getconf CLK_TCK by bench/run). */
	private static final double TICKS_PER_SECOND = Double.parseDouble(System.getProperty("bench.clkTck", "100"));

	private ProcStats() {
	}

	/**
	 * CPU seconds used by {@code pid}, its live descendants, and its children that have
	 * exited and been reaped (socat forks one child per connection).
	 */
	static double cpuSeconds(long pid) {
		long ticks = 0;
		String[] own = stat(pid);
		if (own == null) {
			return 0;
		}
		ticks += Long.parseLong(own[13]) + Long.parseLong(own[14]) + Long.parseLong(own[15]) + Long.parseLong(own[16]);
		for (long child : descendants(pid)) {
			String[] fields = stat(child);
			if (fields != null) {
				ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
			}
		}
		return ticks / TICKS_PER_SECOND;
	}

	/** Resident set size now, in KiB, summed over the tree. */
	static long rssKib(long pid) {
		long total = status(pid, "VmRSS:");
		for (long child : descendants(pid)) {
			total += status(child, "VmRSS:");
		}
		return total;
	}

	/** The highest resident set size the process itself ever had, in KiB. */
	static long peakRssKib(long pid) {
		return status(pid, "VmHWM:");
	}

	private static long status(long pid, String key) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
				if (line.startsWith(key)) {
					return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
		return 0;
	}

	/** Fields of /proc/pid/stat, 0-based after the pid, with the command name collapsed. */
	private static String[] stat(long pid) {
		try {
			String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			String afterName = line.substring(line.lastIndexOf(')') + 2);
			String[] rest = afterName.split(" ");
			String[] fields = new String[rest.length + 2];
			fields[0] = Long.toString(pid);
			fields[1] = "comm";
			System.arraycopy(rest, 0, fields, 2, rest.length);
			return fields;
		}
		catch (IOException | StringIndexOutOfBoundsException ex) {
			return null;
		}
	}

	private static List<Long> descendants(long pid) {
		List<Long> result = new ArrayList<>();
		ProcessHandle.of(pid).ifPresent((handle) -> handle.descendants().forEach((d) -> result.add(d.pid())));
		return result;
	}

}
