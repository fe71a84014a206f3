package dev.socketproxy.upstream;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NettyTransportTest {

	/** Netty's loader keeps each attempt as a suppressed error: the WARN shows them all, on one line. */
	@Test
	void reasonIsOneLineWithEachAttempt() {
		UnsatisfiedLinkError failure = new UnsatisfiedLinkError("could not load a native library: netty_epoll");
		UnsatisfiedLinkError noexec = new UnsatisfiedLinkError("/tmp/libnetty.so exists but cannot be executed;\ncheck volume for \"noexec\" flag");
		noexec.initCause(new IOException("failed to map segment"));
		failure.addSuppressed(noexec);
		failure.addSuppressed(new UnsatisfiedLinkError("no netty_epoll in java.library.path"));

		assertThat(NettyTransport.oneLine(failure)).doesNotContain("\n")
			.isEqualTo("UnsatisfiedLinkError: could not load a native library: netty_epoll; "
					+ "UnsatisfiedLinkError: /tmp/libnetty.so exists but cannot be executed; check volume for \"noexec\" flag; "
					+ "IOException: failed to map segment; UnsatisfiedLinkError: no netty_epoll in java.library.path");
	}

}
