package dev.socketproxy.access;

import java.util.Locale;

/**
 * Every kind of refusal the proxy gives, named by the start of its {@link Denial#reason()}
 * (the log line's {@code reason}, whose detail after the kind may come from the request).
 * The metrics tag a refusal with its kind's {@link #label()} and create every series up
 * front from this list, so a new refusal must get its kind here or be counted as
 * {@link #OTHER}.
 */
public enum RefusalReason {

	FORBIDDEN_IP("forbidden IP"),

	METHOD_NOT_ALLOWED("method not allowed", true),

	PATH_NOT_ALLOWED("path not allowed", true),

	REQUEST_NOT_CHECKED("request not checked"),

	NON_CANONICAL_PATH("non-canonical path"),

	TOO_MANY_HEADER_FIELDS("too many header fields"),

	MORE_THAN_ONE_HOST_HEADER("more than one Host header"),

	MISSING_HOST_HEADER("missing Host header"),

	INVALID_HOST_HEADER("invalid Host header"),

	BOTH_TRANSFER_ENCODING_AND_CONTENT_LENGTH("both Transfer-Encoding and Content-Length"),

	TRANSFER_ENCODING_OTHER_THAN_CHUNKED("Transfer-Encoding other than chunked"),

	INVALID_CONTENT_LENGTH("invalid Content-Length"),

	METHOD_OVERRIDE_HEADER("method override header"),

	UNSUPPORTED_EXPECT("unsupported Expect"),

	ENCODED_BODY_NOT_INSPECTED("encoded body not inspected"),

	BODY_TOO_LARGE("body larger than"),

	MALFORMED_BODY("malformed body"),

	BODY_READ_TIMEOUT("body read timeout"),

	MALFORMED_JSON("malformed JSON"),

	AMBIGUOUS_JSON("ambiguous JSON"),

	BIND_MOUNT_RESTRICTION("bind mount restriction", true),

	CONTAINER_POLICY("container policy", true),

	UPGRADE_REQUEST_BODY_TOO_LARGE("upgrade request body too large"),

	IMAGE_NOT_ALLOWED("image not allowed", true),

	FORM_BODY_NOT_INSPECTED("form body not inspected"),

	AMBIGUOUS_QUERY("ambiguous query"),

	RESPONSE_NOT_REDACTED("response not redacted"),

	NOT_VISIBLE("not visible"),

	NOT_OWNED("not owned"),

	NO_SUCH_OBJECT("no such object"),

	OBJECT_LOOKUP_FAILED("object lookup failed"),

	RESPONSE_NOT_FILTERED("response not filtered"),

	/** A reason that starts with none of the texts above. */
	OTHER("", false);

	private final String text;

	private final boolean rule;

	RefusalReason(String text) {
		this(text, false);
	}

	RefusalReason(String text, boolean rule) {
		this.text = text;
		this.rule = rule;
	}

	/** The kind of a denial's reason: the one whose text the reason is or starts with as a whole word. */
	public static RefusalReason of(String reason) {
		for (RefusalReason kind : values()) {
			if (kind != OTHER && reason.startsWith(kind.text) && (reason.length() == kind.text.length()
					|| reason.charAt(kind.text.length()) == ':' || reason.charAt(kind.text.length()) == ' ')) {
				return kind;
			}
		}
		return OTHER;
	}

	/** The metric label value, in Prometheus' snake case: {@code path_not_allowed}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether this is a finding of the rules, which report-only mode forwards instead of
	 * refusing (see {@link RuleEnforcement}); every other kind is refused in any mode.
	 */
	public boolean rule() {
		return this.rule;
	}

}
