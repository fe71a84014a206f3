package dev.socketproxy.upstream;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.socketproxy.support.Latin1.bytes;
import static dev.socketproxy.support.Latin1.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The splice of an upgraded tunnel on two embedded channels, the client's and the
 * engine's: what moves where and when, which a real socket shows only by its timing.
 * <p>
 * An {@link EmbeddedChannel} cannot be half-closed, so each side here is one that records
 * a half-close instead of sending a FIN (see {@link HalfClosable}); that a real socket's
 * FIN travels through is {@code UpgradeTunnelIT}'s part. Reads are counted rather than
 * blocked: an embedded channel hands on whatever the test writes into it, asked or not.
 */
class ByteSpliceTest {

	private static final String BRIDGE = "bridge";

	private final HalfClosable client = new HalfClosable();

	private final HalfClosable engine = new HalfClosable();

	/** What a test did not read may only be the empty writes that wait for the ones before them. */
	@AfterEach
	void nothingElseWasSent() {
		for (HalfClosable side : new HalfClosable[] { this.client, this.engine }) {
			side.releaseHeld();
			for (Object sent = side.readOutbound(); sent != null; sent = side.readOutbound()) {
				assertThat(text(sent)).isEmpty();
			}
			assertThat(side.finishAndReleaseAll()).isFalse();
		}
	}

	@Test
	void bytesGoEachWayUnchangedAndInOrder() {
		splice(false, false);
		ByteBuf stdin1 = bytes("stdin 1");
		ByteBuf stdin2 = bytes("stdin 2");
		ByteBuf stdout = bytes("stdout");
		this.client.writeInbound(stdin1);
		this.engine.writeInbound(stdout);
		this.client.writeInbound(stdin2);

		assertThat(text(this.engine.readOutbound())).isEqualTo("stdin 1");
		assertThat(text(this.engine.readOutbound())).isEqualTo("stdin 2");
		assertThat(text(this.client.readOutbound())).isEqualTo("stdout");
		assertThat((Object) this.engine.readOutbound()).isNull();
		assertThat((Object) this.client.readOutbound()).isNull();
		assertThat(stdin1.refCnt()).isZero();
		assertThat(stdin2.refCnt()).isZero();
		assertThat(stdout.refCnt()).isZero();
	}

	@Test
	void eachSideIsAskedForMoreOnlyOnceItsLastBytesWereWritten() {
		splice(false, false);
		assertThat(this.client.reads).as("one read to start").isOne();
		this.engine.holdWrites = true;

		this.client.writeInbound(bytes("stdin"));
		assertThat(this.client.reads).as("not asked while the engine has not taken the bytes").isOne();

		this.engine.writeHeld();
		assertThat(this.client.reads).isEqualTo(2);
		assertThat(text(this.engine.readOutbound())).isEqualTo("stdin");
	}

	@Test
	void aHalfCloseReachesTheOtherSideAfterTheBytesBeforeIt() {
		splice(false, false);
		this.engine.holdWrites = true;
		this.client.writeInbound(bytes("last of stdin"));

		this.client.endInput();
		assertThat(this.engine.outputShutdown).as("not before the bytes sent ahead of it").isFalse();

		this.engine.writeHeld();
		assertThat(text(this.engine.readOutbound())).isEqualTo("last of stdin");
		assertThat(this.engine.outputShutdown).isTrue();
		assertThat(this.client.reads).as("a half-closed client is not asked for more").isOne();
		assertThat(this.client.isOpen()).isTrue();
		assertThat(this.engine.isOpen()).isTrue();
	}

	@Test
	void afterAHalfCloseTheAnswerStillComesBack() {
		splice(false, false);
		this.client.endInput();

		ByteBuf stdout = bytes("output after stdin ended");
		this.engine.writeInbound(stdout);

		assertThat(text(this.client.readOutbound())).isEqualTo("output after stdin ended");
		assertThat(stdout.refCnt()).isZero();
		assertThat(this.client.outputShutdown).isFalse();
		assertThat(this.engine.reads).isEqualTo(2);
	}

	@Test
	void whenBothSidesStoppedSendingBothClose() {
		splice(false, false);
		this.client.endInput();
		this.engine.endInput();

		assertThat(this.client.isOpen()).isFalse();
		assertThat(this.engine.isOpen()).isFalse();
	}

	@Test
	void aClientThatHalfClosedBeforeTheSpliceIsNotReadAndTheEnginesOutputEndsAtOnce() {
		splice(true, false);

		assertThat(this.client.reads).isZero();
		assertThat(this.engine.reads).isOne();
		assertThat(this.engine.outputShutdown).isTrue();
		assertThat(this.client.outputShutdown).isFalse();
	}

	@Test
	void anEngineThatHalfClosedBeforeTheSpliceIsNotReadAndTheClientsOutputEndsAtOnce() {
		splice(false, true);

		assertThat(this.engine.reads).isZero();
		assertThat(this.client.reads).isOne();
		assertThat(this.client.outputShutdown).isTrue();
		assertThat(this.engine.outputShutdown).isFalse();
	}

	@Test
	void whenTheClientClosesTheEngineClosesAfterTheBytesBeforeIt() {
		splice(false, false);
		this.engine.holdWrites = true;
		this.client.writeInbound(bytes("last"));

		this.client.close();
		assertThat(this.engine.isOpen()).isTrue();

		this.engine.writeHeld();
		assertThat(text(this.engine.readOutbound())).isEqualTo("last");
		assertThat(this.engine.isOpen()).isFalse();
	}

	@Test
	void whenTheEngineClosesTheClientCloses() {
		splice(false, false);
		this.engine.close();

		assertThat(this.client.isOpen()).isFalse();
	}

	@Test
	void aFailedWriteClosesBoth() {
		splice(false, false);
		this.engine.holdWrites = true;
		this.client.writeInbound(bytes("stdin"));

		this.engine.failHeld();

		assertThat(this.client.isOpen()).isFalse();
		assertThat(this.engine.isOpen()).isFalse();
	}

	@Test
	void aFailingConnectionClosesBoth() {
		splice(false, false);
		this.engine.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

		assertThat(this.client.isOpen()).isFalse();
		assertThat(this.engine.isOpen()).isFalse();
	}

	/** As {@code UpgradeTunnel} starts it: the client's bridge stays last, the engine's pipeline is empty. */
	private void splice(boolean clientInputEnded, boolean engineInputEnded) {
		this.client.pipeline().addLast(BRIDGE, new ChannelInboundHandlerAdapter());
		ByteSplice.start(this.client, this.engine, BRIDGE, clientInputEnded, engineInputEnded);
	}

	/**
	 * One side of the tunnel: records half-closes, counts the reads asked of it, and holds
	 * writes on request, as a socket whose peer reads slowly does.
	 */
	private static final class HalfClosable extends EmbeddedChannel implements DuplexChannel {

		private final Queue<HeldWrite> held = new ArrayDeque<>();

		boolean holdWrites;

		boolean inputShutdown;

		boolean outputShutdown;

		int reads;

		HalfClosable() {
			config().setAutoRead(false);
			pipeline().addFirst(new ChannelOutboundHandlerAdapter() {

				@Override
				public void read(ChannelHandlerContext ctx) {
					HalfClosable.this.reads++;
					ctx.read();
				}

				@Override
				public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
					if (HalfClosable.this.holdWrites) {
						HalfClosable.this.held.add(new HeldWrite(ctx, msg, promise));
						return;
					}
					ctx.write(msg, promise);
				}

			});
		}

		/** The peer stopped sending, as a socket allowing half-closure tells it. */
		void endInput() {
			this.inputShutdown = true;
			pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		}

		void writeHeld() {
			this.holdWrites = false;
			while (!this.held.isEmpty()) {
				HeldWrite write = this.held.remove();
				write.ctx().writeAndFlush(write.msg(), write.promise());
			}
		}

		void failHeld() {
			while (!this.held.isEmpty()) {
				HeldWrite write = this.held.remove();
				ReferenceCountUtil.release(write.msg());
				write.promise().setFailure(new IOException("Broken pipe"));
			}
		}

		void releaseHeld() {
			this.held.forEach((write) -> ReferenceCountUtil.release(write.msg()));
			this.held.clear();
		}

		@Override
		public boolean isInputShutdown() {
			return this.inputShutdown;
		}

		@Override
		public ChannelFuture shutdownInput() {
			return shutdownInput(newPromise());
		}

		@Override
		public ChannelFuture shutdownInput(ChannelPromise promise) {
			this.inputShutdown = true;
			return promise.setSuccess();
		}

		@Override
		public boolean isOutputShutdown() {
			return this.outputShutdown;
		}

		@Override
		public ChannelFuture shutdownOutput() {
			return shutdownOutput(newPromise());
		}

		@Override
		public ChannelFuture shutdownOutput(ChannelPromise promise) {
			this.outputShutdown = true;
			return promise.setSuccess();
		}

		@Override
		public boolean isShutdown() {
			return this.inputShutdown && this.outputShutdown;
		}

		@Override
		public ChannelFuture shutdown() {
			return shutdown(newPromise());
		}

		@Override
		public ChannelFuture shutdown(ChannelPromise promise) {
			this.inputShutdown = true;
			this.outputShutdown = true;
			return promise.setSuccess();
		}

		private record HeldWrite(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		}

	}

}
