package dev.socketproxy.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/** A body as a socket may deliver it: in chunks that fall anywhere, inside a character or a JSON token. */
public final class Chunks {

	private Chunks() {
	}

	/** {@code text}'s UTF-8 bytes in chunks of {@code size} bytes, the last one shorter. */
	public static Flux<DataBuffer> of(String text, int size) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return Flux.range(0, (bytes.length + size - 1) / size)
			.map((i) -> DefaultDataBufferFactory.sharedInstance
				.wrap(ByteBuffer.wrap(bytes, i * size, Math.min(size, bytes.length - i * size))));
	}

}
