package dev.socketproxy.upstream;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Turns the head of the socket's answer (its hop-by-hop headers already gone, see
 * {@link UnixSocketLink}) into the head the fast path's client gets: a body that runs
 * until the socket closes is sent chunked, so that the client's connection can
 * stay open after it.
 */
final class ClientResponseHead {

	private ClientResponseHead() {
	}

	/**
	 * @param response the socket's answer, changed in place
	 * @param method the method of the request it answers
	 * @param clientKeepsAlive whether the client's connection stays open after it
	 */
	static void prepare(HttpResponse response, HttpMethod method, boolean clientKeepsAlive) {
		response.setProtocolVersion(HttpVersion.HTTP_1_1);
		if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)
				&& mayHaveBody(method, response.status())) {
			HttpUtil.setTransferEncodingChunked(response, true);
		}
		if (!clientKeepsAlive) {
			HttpUtil.setKeepAlive(response, false);
		}
	}

	private static boolean mayHaveBody(HttpMethod method, HttpResponseStatus status) {
		return !HttpMethod.HEAD.equals(method) && status.code() != HttpResponseStatus.NO_CONTENT.code()
				&& status.code() != HttpResponseStatus.NOT_MODIFIED.code();
	}

}
