import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the Docker socket where none exists: the image build's AOT training run
 * and scripts/verify-image. Answers every request with a small Docker-like JSON body
 * ({@code HEAD /_ping} with headers only), keep-alive, one thread per connection.
 * Run with a JDK's source launcher: {@code java UnixSocketStub.java /tmp/docker.sock}.
 */
public class UnixSocketStub {

	private static final byte[] BODY = "{\"ApiVersion\":\"1.41\",\"Version\":\"stub\"}".getBytes(StandardCharsets.US_ASCII);

	public static void main(String[] args) throws IOException {
		Path path = Path.of(args[0]);
		Files.deleteIfExists(path);
		try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			server.bind(UnixDomainSocketAddress.of(path));
			while (true) {
				SocketChannel connection = server.accept();
				Thread.startVirtualThread(() -> serve(connection));
			}
		}
	}

	private static void serve(SocketChannel connection) {
		try (connection; InputStream in = new BufferedInputStream(Channels.newInputStream(connection));
				OutputStream out = Channels.newOutputStream(connection)) {
			String requestLine;
			while ((requestLine = head(in)) != null) {
				boolean head = requestLine.startsWith("HEAD ");
				String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.41\r\n"
						+ "Content-Length: " + BODY.length + "\r\n\r\n";
				out.write(response.getBytes(StandardCharsets.US_ASCII));
				if (!head) {
					out.write(BODY);
				}
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	/** Reads one request head (requests here have no body); returns its first line, or null at the end. */
	private static String head(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			head.append((char) b);
			if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
				return head.substring(0, head.indexOf("\r\n"));
			}
		}
		return null;
	}

}
