package dev.socketproxy.support;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Raw bytes on embedded channels as text, one byte per character, as HTTP heads are. */
public final class Latin1 {

	private Latin1() {
	}

	public static ByteBuf bytes(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
	}

	/** The text of a buffer read from a channel, which is released. */
	public static String text(Object message) {
		ByteBuf bytes = (ByteBuf) message;
		try {
			return bytes.toString(StandardCharsets.ISO_8859_1);
		}
		finally {
			bytes.release();
		}
	}

}
