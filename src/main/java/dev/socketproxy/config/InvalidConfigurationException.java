package dev.socketproxy.config;

/**
 * A configuration value that cannot be used. Carries the key and the value so that the
 * operator sees exactly what to fix; the startup failure reporter turns it into one line.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String key;

	private final String value;

	private final String reason;

	private final String origin;

	public InvalidConfigurationException(String key, Object value, String reason) {
		this(key, value, null, reason);
	}

	/**
	 * @param origin where the key was set, for a failure found before the environment
	 * can be asked (then the key is looked up there)
	 */
	public InvalidConfigurationException(String key, Object value, String origin, String reason) {
		super(key + "=" + quote(value) + ": " + reason);
		this.key = key;
		this.value = (value != null) ? value.toString() : null;
		this.origin = origin;
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

	/** Where the key was set, or {@code null} if the exception does not know. */
	public String getOrigin() {
		return this.origin;
	}

	private static String quote(Object value) {
		return (value != null) ? "'" + value + "'" : "(empty)";
	}

}
