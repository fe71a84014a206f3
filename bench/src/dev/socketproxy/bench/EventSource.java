package dev.socketproxy.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The slow chunked stream behind nginx's {@code /events}: on a Unix socket, answers every
 * request with a chunked response that carries one small JSON event every
 * {@code ?gap=} milliseconds ({@code ?n=} events), each stamped with
 * {@link System#nanoTime()} at the moment it is written. The client runs in the same JVM,
 * so its arrival time is on the same clock.
 */
final class EventSource implements AutoCloseable {

	private final ServerSocketChannel server;

	private final Thread acceptor;

	EventSource(Path socket) throws IOException {
		Files.deleteIfExists(socket);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(socket));
		this.acceptor = new Thread(this::accept, "event-source");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	private void accept() {
		while (this.server.isOpen()) {
			try {
				SocketChannel channel = this.server.accept();
				Thread stream = new Thread(() -> serve(channel), "event-stream");
				stream.setDaemon(true);
				stream.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(SocketChannel channel) {
		try (channel) {
			String head = readHead(channel);
			int events = queryInt(head, "n", 50);
			long gapMillis = queryInt(head, "gap", 20);
			write(channel, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
					+ "Connection: close\r\n\r\n");
			for (int i = 0; i < events; i++) {
				Thread.sleep(gapMillis);
				String event = "{\"seq\":" + i + ",\"t\":" + System.nanoTime() + "}\n";
				write(channel, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
			}
			write(channel, "0\r\n\r\n");
		}
		catch (IOException | InterruptedException ex) {
			// the client went away
		}
	}

	private static String readHead(SocketChannel channel) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(8192);
		StringBuilder head = new StringBuilder();
		while (head.indexOf("\r\n\r\n") < 0 && channel.read(buffer) > 0) {
			buffer.flip();
			head.append(StandardCharsets.ISO_8859_1.decode(buffer));
			buffer.clear();
		}
		return head.toString();
	}

	private static int queryInt(String head, String name, int fallback) {
		String requestLine = head.lines().findFirst().orElse("");
		int at = requestLine.indexOf(name + "=");
		if (at < 0) {
			return fallback;
		}
		int end = at + name.length() + 1;
		while (end < requestLine.length() && Character.isDigit(requestLine.charAt(end))) {
			end++;
		}
		return Integer.parseInt(requestLine.substring(at + name.length() + 1, end));
	}

	private static void write(SocketChannel channel, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
