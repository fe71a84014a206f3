package dev.socketproxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;

/**
 * What one side of a tunnel sent before the splice started, held unread further by
 * {@link UpgradeRequestGuard} (the client, behind its upgrade request) or
 * {@link UpgradeAnswerReader} (the engine, behind its {@code 101} head).
 *
 * @param bytes raw bytes, possibly none; owned by whoever took them
 * @param shutdown whether that side has already closed its sending side
 */
record HeldInput(ByteBuf bytes, boolean shutdown) {

	/** Whether {@code event} says the side stopped sending: a half-close to hold, not pass on. */
	static boolean endsInput(Object event) {
		return event instanceof ChannelInputShutdownEvent || event == ChannelInputShutdownReadComplete.INSTANCE;
	}

}
