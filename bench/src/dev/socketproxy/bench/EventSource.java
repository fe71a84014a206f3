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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The slow chunked stream behind nginx's {@code /events}: on a Unix socket, answers every
 * request with a chunked response that carries one small JSON event every
 * {@code ?gap=} milliseconds ({@code ?n=} events), each stamped with
 * {@link System#nanoTime()} at the moment it is written. The client runs in the same JVM,
 * so its arrival time is on the same clock.
 * <p>
 * With {@code ?hold=1} the stream never ends: like {@code docker events}, it carries one
 * event a second until the client goes away. Thousands of these are held by one ticker
 * thread rather than a thread each.
 */
final class EventSource implements AutoCloseable {

	private final ServerSocketChannel server;

	private final Thread acceptor;

	private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

	private final Thread ticker;

	EventSource(Path socket) throws IOException {
		Files.deleteIfExists(socket);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		// Thousands of streams open at once: the default backlog (50) would refuse most.
		this.server.bind(UnixDomainSocketAddress.of(socket), 8192);
		this.acceptor = new Thread(this::accept, "event-source");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
		this.ticker = new Thread(this::tick, "event-ticker");
		this.ticker.setDaemon(true);
		this.ticker.start();
	}

	/** Streams held open right now, for a check that the proxies really held them. */
	int held() {
		return this.held.size();
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
		String head;
		try {
			head = readHead(channel);
			if (queryInt(head, "hold", 0) == 1) {
				write(channel, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
				channel.configureBlocking(false);
				this.held.add(channel);
				return;
			}
		}
		catch (IOException ex) {
			close(channel);
			return;
		}
		try (channel) {
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

	/** One event a second to every held stream; a stream whose client went away or stopped reading is closed. */
	private void tick() {
		while (this.server.isOpen()) {
			Launched.sleep(Duration.ofSeconds(1));
			String event = "{\"t\":" + System.nanoTime() + "}\n";
			ByteBuffer chunk = ByteBuffer
				.wrap((Integer.toHexString(event.length()) + "\r\n" + event + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			for (SocketChannel channel : this.held) {
				try {
					if (channel.write(chunk.duplicate()) < chunk.remaining()) {
						drop(channel);
					}
				}
				catch (IOException ex) {
					drop(channel);
				}
			}
		}
	}

	private void drop(SocketChannel channel) {
		this.held.remove(channel);
		close(channel);
	}

	private static void close(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// closed already
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
		this.held.forEach(EventSource::close);
	}

}
