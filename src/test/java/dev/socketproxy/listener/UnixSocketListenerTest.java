package dev.socketproxy.listener;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.config.InvalidConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class UnixSocketListenerTest {

	@TempDir
	Path dir;

	@Test
	void octalModesBecomePermissions() {
		assertThat(PosixFilePermissions.toString(UnixSocketListener.permissions(0600))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(UnixSocketListener.permissions(0660))).isEqualTo("rw-rw----");
		assertThat(PosixFilePermissions.toString(UnixSocketListener.permissions(0777))).isEqualTo("rwxrwxrwx");
	}

	@Test
	void aStaleSocketFileIsRemovedAndSoIsTheBoundOneOnShutdown() throws IOException {
		Path socket = this.dir.resolve("proxy.sock");
		try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			stale.bind(UnixDomainSocketAddress.of(socket));
		}
		UnixSocketListener listener = new UnixSocketListener(socket, 0600);

		listener.removeStaleSocket();
		assertThat(socket).doesNotExist();

		try (ServerSocketChannel bound = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			bound.bind(UnixDomainSocketAddress.of(socket));
			listener.restrictAccess();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
			listener.destroy();
			assertThat(socket).doesNotExist();
		}
	}

	@Test
	void aFileThatIsNotASocketIsNeverReplaced() throws IOException {
		Path file = Files.writeString(this.dir.resolve("important.txt"), "keep me");
		UnixSocketListener listener = new UnixSocketListener(file, 0600);

		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(listener::removeStaleSocket)
			.withMessageContaining("not a socket");
		listener.destroy();
		assertThat(file).hasContent("keep me");
	}

}
