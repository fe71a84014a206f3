package dev.socketproxy.access;

import java.util.regex.Pattern;

/**
 * Docker API paths as the engine's router matches them: with or without the API version
 * prefix, which is {@code /v} followed by digits and dots, so {@code /v1/...} and
 * {@code /v1.41.0/...} count too. Endpoint lists that pick requests out by canonical
 * path build their patterns here, so none can miss a prefix the engine accepts.
 */
public final class EnginePath {

	private static final String VERSION_PREFIX = "(?:/v[0-9.]+)?";

	private EnginePath() {
	}

	/** A pattern that matches {@code path} (a regex) behind an optional version prefix. */
	public static Pattern pattern(String path) {
		return Pattern.compile(VERSION_PREFIX + path);
	}

}
