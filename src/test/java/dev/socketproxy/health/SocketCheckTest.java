package dev.socketproxy.health;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.socketproxy.support.RecordingUnixSocketServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The socket check against real Unix sockets: Docker-like, failing, non-HTTP and missing. */
class SocketCheckTest {

	@TempDir
	Path dir;

	@Test
	void httpServerAnsweringThePingIsUp() {
		Path socket = this.dir.resolve("docker.sock");
		try (RecordingUnixSocketServer server = RecordingUnixSocketServer.start(socket,
				(request, response) -> response.header("Api-Version", "1.41").send())) {
			SocketCheck check = new SocketCheck(socket);

			SocketStatus status = check.check().block(Duration.ofSeconds(10));

			assertThat(status.up()).isTrue();
			assertThat(status.check()).isEqualTo("ping");
			assertThat(status.httpStatus()).isEqualTo(200);
			assertThat(check.latest()).isEqualTo(status);
			assertThat(server.requests()).singleElement().satisfies((request) -> {
				assertThat(request.method()).isEqualTo("HEAD");
				assertThat(request.uri()).isEqualTo("/_ping");
			});
		}
	}

	@Test
	void serverErrorOnThePingIsDown() {
		Path socket = this.dir.resolve("docker.sock");
		try (RecordingUnixSocketServer server = RecordingUnixSocketServer.start(socket,
				(request, response) -> response.status(500).send())) {
			SocketStatus status = new SocketCheck(socket).check().block(Duration.ofSeconds(10));

			assertThat(status.up()).isFalse();
			assertThat(status.httpStatus()).isEqualTo(500);
			assertThat(status.error()).isEqualTo("HEAD /_ping answered 500");
		}
	}

	@Test
	void serverThatIsNotHttpIsUpWhenItAccepts() throws IOException {
		Path socket = this.dir.resolve("raw.sock");
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(socket));
			Thread answer = new Thread(() -> {
				try (SocketChannel client = server.accept()) {
					client.write(ByteBuffer.wrap("220 hello, not http\n".getBytes(StandardCharsets.US_ASCII)));
				}
				catch (IOException ex) {
					// the check has gone; nothing to answer
				}
			});
			answer.start();

			SocketStatus status = new SocketCheck(socket).check().block(Duration.ofSeconds(10));

			assertThat(status.up()).isTrue();
			assertThat(status.check()).isEqualTo("connect");
			assertThat(status.httpStatus()).isZero();
		}
	}

	@Test
	void missingSocketIsDown() {
		SocketStatus status = new SocketCheck(this.dir.resolve("gone.sock")).check().block(Duration.ofSeconds(10));

		assertThat(status.up()).isFalse();
		assertThat(status.check()).isEqualTo("none");
		assertThat(status.error()).isEqualTo("no such socket file");
	}

}
