package dev.socketproxy.upstream;

import java.util.List;
import java.util.regex.Pattern;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import dev.socketproxy.access.EnginePath;
import dev.socketproxy.access.RequestTarget;

/**
 * The endpoints on which the Docker engine hijacks the connection and switches protocols,
 * and so the only requests the proxy may carry through as a tunnel. Anywhere else an
 * {@code Upgrade} header is hop-by-hop noise: the gateway drops it and forwards a plain
 * request, and the connection stays judged HTTP.
 * <p>
 * Matching one of these decides only that the proxy reads the engine's answer before
 * anything more: the tunnel opens on a {@code 101} alone (see {@link UpgradeTunnel}).
 * {@link #isUpgradeRequest} is the proxy's one answer to "is this an upgrade?".
 */
public final class HijackedEndpoints {

	private static final String ID = "[^/]+";

	private static final List<Endpoint> ENDPOINTS = List.of(
			new Endpoint(HttpMethod.POST, "/containers/" + ID + "/attach", "tcp"),
			new Endpoint(HttpMethod.POST, "/exec/" + ID + "/start", "tcp"),
			new Endpoint(HttpMethod.GET, "/containers/" + ID + "/attach/ws", HttpHeaderValues.WEBSOCKET.toString()),
			// BuildKit's session and gRPC streams of docker build.
			new Endpoint(HttpMethod.POST, "/session", "h2c"), new Endpoint(HttpMethod.POST, "/grpc", "h2c"));

	private HijackedEndpoints() {
	}

	/**
	 * Whether this request asks to switch protocols on an endpoint that does so:
	 * {@code Connection: upgrade} and the endpoint's own protocol in {@code Upgrade}.
	 * @param method the request method
	 * @param uri the request target exactly as in the request line; a non-canonical one
	 * never matches (the access decisions refuse it)
	 * @param headers the request headers
	 */
	public static boolean isUpgradeRequest(HttpMethod method, String uri, HttpHeaders headers) {
		if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
			return false;
		}
		String path;
		try {
			path = RequestTarget.parse(uri).path();
		}
		catch (RequestTarget.NonCanonicalException ex) {
			return false;
		}
		for (Endpoint endpoint : ENDPOINTS) {
			if (endpoint.method.equals(method) && endpoint.path.matcher(path).matches()) {
				return headers.containsValue(HttpHeaderNames.UPGRADE, endpoint.protocol, true);
			}
		}
		return false;
	}

	private record Endpoint(HttpMethod method, Pattern path, String protocol) {

		Endpoint(HttpMethod method, String path, String protocol) {
			this(method, EnginePath.pattern(path), protocol);
		}

	}

}
