package dev.socketproxy.access;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * One log line per access decision, with stable fields {@code reason}, {@code method},
 * {@code path} (with query), {@code client}, {@code rules} (the profile that judged the
 * client) and {@code status}: refusals and report-only findings at WARN, allowed requests
 * at DEBUG (the reference's way to learn what a client needs). Never logs bodies or
 * headers.
 */
public final class AccessLog {

	private static final Logger logger = LoggerFactory.getLogger(AccessLog.class);

	private AccessLog() {
	}

	public static void denied(ServerWebExchange exchange, Denial denial) {
		judged(logger.atWarn(), exchange).addKeyValue("reason", denial.reason())
			.addKeyValue("status", denial.status().value())
			.log("blocked request");
	}

	/** A refusal that report-only mode did not enforce; {@code status} is what it would have been. */
	public static void reported(ServerWebExchange exchange, Denial denial) {
		judged(logger.atWarn(), exchange).addKeyValue("reason", denial.reason())
			.addKeyValue("status", denial.status().value())
			.log("would block request (report-only)");
	}

	/**
	 * An allowed request, on either path (see {@link RequestRecorder}); {@code client} is
	 * {@code null} on the Unix-socket listener.
	 */
	public static void allowed(String method, String target, InetSocketAddress client, ClientRules rules) {
		if (logger.isDebugEnabled()) {
			fields(logger.atDebug(), method, target, client(client)).addKeyValue("rules", rules.name())
				.log("allowed request");
		}
	}

	/**
	 * An allowed request the gateway forwards with another target, {@code forwarded}
	 * (path and query): the socket receives that one, never {@code path}.
	 */
	public static void rewritten(ServerWebExchange exchange, String forwarded) {
		if (logger.isDebugEnabled()) {
			judged(logger.atDebug(), exchange).addKeyValue("forwarded", forwarded).log("rewritten request");
		}
	}

	private static LoggingEventBuilder judged(LoggingEventBuilder event, ServerWebExchange exchange) {
		ClientRules rules = GatewayExchange.rules(exchange);
		LoggingEventBuilder fields = fields(event, exchange.getRequest());
		return (rules != null) ? fields.addKeyValue("rules", rules.name()) : fields;
	}

	/** The client as {@code ip:port}, or {@code unix} for the Unix-socket listener. */
	public static String client(ServerHttpRequest request) {
		return client(request.getRemoteAddress());
	}

	private static String client(InetSocketAddress remote) {
		if (remote == null || remote.getAddress() == null) {
			return "unix";
		}
		String host = remote.getAddress().getHostAddress();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + remote.getPort();
	}

	/** Method, path with query, and client: the fields every request line carries. */
	public static LoggingEventBuilder fields(LoggingEventBuilder event, ServerHttpRequest request) {
		String query = request.getURI().getRawQuery();
		String path = request.getURI().getRawPath() + ((query != null) ? "?" + query : "");
		return fields(event, request.getMethod().name(), path, client(request));
	}

	private static LoggingEventBuilder fields(LoggingEventBuilder event, String method, String path, String client) {
		return event.addKeyValue("method", method).addKeyValue("path", path).addKeyValue("client", client);
	}

}
