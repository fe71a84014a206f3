package dev.socketproxy.upstream;

import java.nio.file.Path;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.RequestRecorder;

/**
 * Whether the proxy's connections get a {@link FastPathHandler}, and what it needs: one
 * for the whole listener, handing out the handlers of each client connection.
 */
public final class FastPath {

	private final boolean enabled;

	private final Admission admission;

	private final Path socket;

	private final RequestRecorder recorder;

	private final FastPathShutdown shutdown;

	private final HopByHopHeaders hopByHop;

	FastPath(boolean enabled, Admission admission, Path socket, RequestRecorder recorder,
			FastPathShutdown shutdown, HopByHopHeaders hopByHop) {
		this.enabled = enabled;
		this.admission = admission;
		this.socket = socket;
		this.recorder = recorder;
		this.shutdown = shutdown;
		this.hopByHop = hopByHop;
	}

	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * The fast path's two handlers for a new client connection.
	 * @param client the client connection
	 * @param exchanges the connection's tracker, which the fast path reads
	 */
	public Handlers handlers(Channel client, ExchangeTracker exchanges) {
		ShutdownCloseHold closes = new ShutdownCloseHold(this.shutdown);
		UnixSocketLink socket = new UnixSocketLink(client, this.socket, this.hopByHop);
		return new Handlers(new FastPathHandler(this.admission, socket, this.recorder, exchanges, closes), closes);
	}

	/**
	 * @param forwarder the {@link FastPathHandler}
	 * @param closeHold the {@link ShutdownCloseHold} that goes right behind it
	 */
	public record Handlers(ChannelHandler forwarder, ChannelHandler closeHold) {
	}

}
