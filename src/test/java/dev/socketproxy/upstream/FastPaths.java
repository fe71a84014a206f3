package dev.socketproxy.upstream;

import java.nio.file.Path;
import java.time.Duration;

/** Fast paths for tests outside this package, which cannot make one. */
public final class FastPaths {

	private FastPaths() {
	}

	/** A fast path that is on, with nothing to admit or forward with. */
	public static FastPath on() {
		return new FastPath(true, null, Path.of("unused"), null, new FastPathShutdown(Duration.ZERO), null);
	}

	public static FastPath off() {
		return new FastPath(false, null, Path.of("unused"), null, new FastPathShutdown(Duration.ZERO), null);
	}

}
