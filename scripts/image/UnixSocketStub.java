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
 * and scripts/verify-image. Answers every request with a 570-byte Docker-like JSON body
 * ({@code HEAD /_ping} with headers only), keep-alive, one thread per connection.
 * Run with a JDK's source launcher: {@code java UnixSocketStub.java /tmp/docker.sock}.
 */
public class UnixSocketStub {

	/** The bench's 570-byte JSON shaped like Docker's {@code GET /version}, the load the memory target is about. */
	private static final byte[] BODY = """
			{"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"20.10.24",\
			"Details":{"ApiVersion":"1.41","Arch":"amd64","BuildTime":"2023-05-18T00:00:00.000000000+00:00",\
			"Experimental":"false","GitCommit":"5d6db84","GoVersion":"go1.19.8","KernelVersion":"6.1.0",\
			"MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.20","Details":\
			{"GitCommit":"2806fc1"}},{"Name":"runc","Version":"1.1.5","Details":{"GitCommit":"f19387a"}}],\
			"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84",\
			"GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0","BuildTime":\
			"2023-05-18T00:00:00.000000000+00:00"}
			""".getBytes(StandardCharsets.US_ASCII);

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
