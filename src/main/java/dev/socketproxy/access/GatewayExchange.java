package dev.socketproxy.access;

import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

/**
 * The gateway's filter chain as this proxy builds it, in one place: the order of every
 * {@code GlobalFilter} of ours, and the exchange attributes they hand each other, read and
 * written only through the typed accessors here (as Spring Cloud Gateway's
 * {@code ServerWebExchangeUtils} does for its own). It lives in {@code access}, which every
 * package with a filter already depends on, and names the filters of the other packages in
 * text only, so it adds no package dependency.
 */
public final class GatewayExchange {

	/*
	 * The filter orders, in the order a request meets them; a filter wraps all below it.
	 * Spring Cloud Gateway's own filters are named where they fall in between.
	 */

	/** metrics.RequestMetricsFilter: counts each request's decision once it is over, streamed response included. */
	public static final int REQUEST_METRICS = Ordered.HIGHEST_PRECEDENCE + 99;

	/** {@link AdmissionFilter}: asks the {@link Admission} and refuses, reports or lets the request through. */
	public static final int ADMISSION = Ordered.HIGHEST_PRECEDENCE + 100;

	/** access.body.BodyFailureFilter: a body that fails while read or forwarded, for everything below. */
	public static final int BODY_FAILURE = Ordered.HIGHEST_PRECEDENCE + 101;

	/** learn.LearnFilter: records what passed the admission, before the body policy may still refuse. */
	public static final int LEARN = Ordered.HIGHEST_PRECEDENCE + 205;

	/** access.body.RequestBodyFilter: the bind-mount, container and image checks of the inspected JSON bodies. */
	public static final int REQUEST_BODY = Ordered.HIGHEST_PRECEDENCE + 210;

	/** access.body.ImageRequestFilter: the images {@code /images/create} and {@code /build} name in their query. */
	public static final int IMAGE_REQUEST = Ordered.HIGHEST_PRECEDENCE + 220;

	/**
	 * scope.ScopedReferencesFilter: the objects a create body, a network (dis)connect or a
	 * commit names besides the one in its path must be in the client's scope.
	 */
	public static final int SCOPED_REFERENCES = Ordered.HIGHEST_PRECEDENCE + 222;

	/**
	 * scope.ObjectScopeFilter: the object a per-id request names, refused or named by its
	 * full ID; after the body decisions (a request refused for its body needs no lookup),
	 * before the upgrade tunnel, so exec start and attach are checked before they switch.
	 */
	public static final int OBJECT_SCOPE = Ordered.HIGHEST_PRECEDENCE + 225;

	/**
	 * scope.OwnerLabelFilter: adds the owner label to create bodies and the build query;
	 * after every decision judged the request as the client sent it.
	 */
	public static final int OWNER_LABEL = Ordered.HIGHEST_PRECEDENCE + 226;

	/** scope.OwnerFilterQuery: merges the owner's label filter into list, prune and events queries. */
	public static final int OWNER_FILTER = Ordered.HIGHEST_PRECEDENCE + 227;

	/**
	 * redact.RedactEnvFilter: rewrites the answers {@code redact-env} covers; after every
	 * decision, and its response decorator must be in place before the gateway writes the answer.
	 */
	public static final int REDACT_ENV = Ordered.HIGHEST_PRECEDENCE + 230;

	/**
	 * scope.VisibleContainersFilter: filters the container list and the event stream to the
	 * visible containers, and refuses the container prune; a response rewriter like the one above.
	 */
	public static final int VISIBLE_CONTAINERS = Ordered.HIGHEST_PRECEDENCE + 235;

	/*
	 * Spring Cloud Gateway's AdaptCachedBodyGlobalFilter (HIGHEST_PRECEDENCE + 1000) runs here.
	 */

	/**
	 * upstream.EarlyResponseHeadersFilter: wraps the gateway's response writer
	 * ({@code NettyWriteResponseFilter}, right after it), which streams the socket's body.
	 */
	public static final int EARLY_RESPONSE_HEADERS = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	/** upstream.SocketUnreachableFilter: 502 when the socket cannot be reached, around the forwarding only. */
	public static final int SOCKET_UNREACHABLE = 0;

	/** upstream.UpgradeTunnelFilter: takes requests that switch protocols off the routing, inside the 502. */
	public static final int UPGRADE_TUNNEL = 1;

	/**
	 * metrics.UpstreamMetricsFilter: times the socket's answer; inside the tunnel, which never
	 * reaches it, so an exec session is not timed as one answer. The gateway's routing
	 * filters (down to {@code NettyRoutingFilter} at {@code LOWEST_PRECEDENCE}) follow.
	 */
	public static final int UPSTREAM_METRICS = 2;

	private static final String VERDICT = GatewayExchange.class.getName() + ".verdict";

	private static final String DENIAL = GatewayExchange.class.getName() + ".denial";

	private static final String REPORTED = GatewayExchange.class.getName() + ".reported";

	private static final String STREAM = GatewayExchange.class.getName() + ".stream";

	private static final String BODY = GatewayExchange.class.getName() + ".body";

	private GatewayExchange() {
	}

	/** The admission's verdict on the request, {@code null} before the admission judged it. */
	public static Admission.Verdict verdict(ServerWebExchange exchange) {
		return exchange.getAttribute(VERDICT);
	}

	public static void putVerdict(ServerWebExchange exchange, Admission.Verdict verdict) {
		exchange.getAttributes().put(VERDICT, verdict);
	}

	/** The rules that judged the request's client, {@code null} if none did (yet). */
	public static ClientRules rules(ServerWebExchange exchange) {
		Admission.Verdict verdict = verdict(exchange);
		return (verdict != null) ? verdict.rules() : null;
	}

	/** The canonical target the rules judged, {@code null} if the request did not get that far. */
	public static RequestTarget target(ServerWebExchange exchange) {
		Admission.Verdict verdict = verdict(exchange);
		return (verdict != null) ? verdict.target() : null;
	}

	/** The refusal the client got, {@code null} if the request was not refused. */
	public static Denial denial(ServerWebExchange exchange) {
		return exchange.getAttribute(DENIAL);
	}

	public static void putDenial(ServerWebExchange exchange, Denial denial) {
		exchange.getAttributes().put(DENIAL, denial);
	}

	/** The refusal report-only mode did not enforce, {@code null} if there was none. */
	public static Denial reported(ServerWebExchange exchange) {
		return exchange.getAttribute(REPORTED);
	}

	public static void putReported(ServerWebExchange exchange, Denial denial) {
		exchange.getAttributes().put(REPORTED, denial);
	}

	/** The body access.body.RequestBodyFilter read and judged, {@code null} if it read none. */
	public static JudgedBody body(ServerWebExchange exchange) {
		return exchange.getAttribute(BODY);
	}

	public static void putBody(ServerWebExchange exchange, JudgedBody body) {
		exchange.getAttributes().put(BODY, body);
	}

	/** Marks the socket's response as being streamed; {@code false} if it already was. */
	public static boolean streamOpened(ServerWebExchange exchange) {
		return exchange.getAttributes().putIfAbsent(STREAM, Boolean.TRUE) == null;
	}

	/** Ends the mark of {@link #streamOpened}; {@code false} if there was none. */
	public static boolean streamEnded(ServerWebExchange exchange) {
		return exchange.getAttributes().remove(STREAM) != null;
	}

}
