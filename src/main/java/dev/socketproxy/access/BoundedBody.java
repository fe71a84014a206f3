package dev.socketproxy.access;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads a request body whole, without blocking and never past a limit, for the few
 * requests the proxy must see entire before it forwards them (inspected JSON bodies,
 * upgrade requests), and the few answers it rewrites.
 */
public final class BoundedBody {

	private BoundedBody() {
	}

	/**
	 * The body's bytes, empty for no body.
	 * @return fails with {@link DataBufferLimitException} once the body passes {@code maxBytes}
	 */
	public static Mono<byte[]> read(ServerHttpRequest request, int maxBytes) {
		return read(request.getBody(), maxBytes);
	}

	/**
	 * A body's bytes, request or response, empty for no body.
	 * @return fails with {@link DataBufferLimitException} once the body passes {@code maxBytes}
	 */
	public static Mono<byte[]> read(Publisher<? extends DataBuffer> body, int maxBytes) {
		return DataBufferUtils.join(body, maxBytes).map(BoundedBody::bytes).defaultIfEmpty(new byte[0]);
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
