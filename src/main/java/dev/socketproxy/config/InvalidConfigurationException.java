package dev.socketproxy.config;

/**
 * A configuration value that cannot be used. Carries the key and the value so that the
 * operator sees exactly what to fix; the startup failure reporter turns it into one line.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String key;

	private final String value;

	private final String reason;

	public InvalidConfigurationException(String key, Object value, String reason) {
		super(key + "=" + quote(value) + ": " + reason);
		this.key = key;
		this.value = (value != null) ? value.toString() : null;
		this.reason = reason;
	}

	public String getKey() {
		return this.key;
	}

	public String getValue() {
		return this.value;
	}

	public String getReason() {
		return this.reason;
	}

	private static String quote(Object value) {
		return (value != null) ? "'" + value + "'" : "(empty)";
	}

}
