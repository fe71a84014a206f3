package dev.socketproxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

/** The engine's answer to an upgrade request, read by {@link UpgradeAnswerReader}. */
sealed interface UpgradeAnswer {

	/** Releases what the answer holds, for an answer nobody will pass on. */
	void release();

	/**
	 * The engine switched protocols: from here on its connection carries the new protocol.
	 *
	 * @param upstream the connection to the socket, auto-read off, its
	 * {@link UpgradeAnswerReader} holding what follows the head
	 * @param head the {@code 101} head exactly as the engine wrote it, blank line included
	 */
	record Switched(Channel upstream, ByteBuf head) implements UpgradeAnswer {

		@Override
		public void release() {
			ReferenceCountUtil.release(this.head);
			this.upstream.close();
		}

	}

	/**
	 * The engine answered with an ordinary HTTP response (a refusal such as 404); its
	 * connection is closed.
	 *
	 * @param response the whole response
	 */
	record Answered(FullHttpResponse response) implements UpgradeAnswer {

		@Override
		public void release() {
			this.response.release();
		}

	}

}
