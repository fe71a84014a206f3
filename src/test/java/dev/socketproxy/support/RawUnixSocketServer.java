package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Unix-socket server written against the raw bytes, for what an HTTP server library
 * hides: it answers requests that ask to switch protocols with {@code 101} and then
 * echoes every byte until the client half-closes, like {@code docker exec -i ... cat};
 * a target with {@code missing} gets a 404, one with {@code version} or {@code wait} a
 * 200 with {@code {}}, and a connection that asked to switch stays HTTP after either, as
 * dockerd's does; {@code early} gets a 400 before its body is read, then the body is read
 * and the connection stays HTTP, as Go's server discards what a handler left unread; {@code stream} gets a chunk every 100 ms until the connection breaks; {@code sink}
 * switches protocols, says {@code bye}, half-closes and
 * then keeps what the client still sends until it half-closes too. It counts its open
 * connections, so a test sees connections leak.
 */
public final class RawUnixSocketServer implements AutoCloseable {

	private static final Pattern UPGRADE = Pattern.compile("(?im)^upgrade:");

	private static final Pattern CHUNKED = Pattern.compile("(?im)^transfer-encoding:\\s*chunked\\s*$");

	private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

	private final Path socket;

	private final ServerSocketChannel server;

	private final List<String> requestHeads = new CopyOnWriteArrayList<>();

	private final AtomicInteger openConnections = new AtomicInteger();

	private final List<String> sunk = new CopyOnWriteArrayList<>();

	private RawUnixSocketServer(Path socket, ServerSocketChannel server) {
		this.socket = socket;
		this.server = server;
		Thread acceptor = new Thread(this::accept, "raw-unix-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public static RawUnixSocketServer start(Path socket) {
		try {
			Files.deleteIfExists(socket);
			ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			server.bind(UnixDomainSocketAddress.of(socket));
			return new RawUnixSocketServer(socket, server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Path socketPath() {
		return this.socket;
	}

	/** Every request head received (request line and headers), in order. */
	public List<String> requestHeads() {
		return List.copyOf(this.requestHeads);
	}

	/** What clients sent to {@code /sink} after its half-close, one entry per connection. */
	public List<String> sunk() {
		return List.copyOf(this.sunk);
	}

	public int openConnections() {
		return this.openConnections.get();
	}

	@Override
	public void close() {
		try {
			this.server.close();
			Files.deleteIfExists(this.socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void accept() {
		while (this.server.isOpen()) {
			try {
				SocketChannel connection = this.server.accept();
				this.openConnections.incrementAndGet();
				Thread handler = new Thread(() -> serve(connection), "raw-unix-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(SocketChannel connection) {
		try (connection) {
			InputStream in = Channels.newInputStream(connection);
			OutputStream out = Channels.newOutputStream(connection);
			String target;
			boolean upgrade;
			boolean early;
			// Like dockerd, a connection that asked to switch protocols stays HTTP after any
			// answer but 101: a request the proxy let through unjudged is read and recorded
			// here. Others are answered with Connection: close, so that no pooled connection
			// stays open between tests, which count them.
			do {
				String head = readHead(in);
				this.requestHeads.add(head);
				target = head.split(" ", 3)[1];
				upgrade = UPGRADE.matcher(head).find();
				early = target.contains("early");
				if (early) {
					out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 6\r\n\r\nearly\n"
						.getBytes(StandardCharsets.ISO_8859_1));
				}
				readBody(in, head);
				String close = upgrade ? "" : "Connection: close\r\n";
				if (target.contains("missing")) {
					out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n" + close
							+ "Content-Length: 10\r\n\r\nnot found\n").getBytes(StandardCharsets.ISO_8859_1));
				}
				else if (answersPlainly(target)) {
					out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + close
							+ "Content-Length: 3\r\n\r\n{}\n").getBytes(StandardCharsets.ISO_8859_1));
				}
			}
			while (early || upgrade && (target.contains("missing") || answersPlainly(target)));
			if (target.contains("missing") || answersPlainly(target)) {
				return;
			}
			if (target.contains("stream")) {
				stream(out);
			}
			else if (target.contains("sink")) {
				out.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nbye\n"
					.getBytes(StandardCharsets.ISO_8859_1));
				connection.shutdownOutput();
				this.sunk.add(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
			}
			else {
				out.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
					.getBytes(StandardCharsets.ISO_8859_1));
				in.transferTo(out);
				connection.shutdownOutput();
			}
		}
		catch (IOException | InterruptedException ex) {
			// the client went away; the connection closes below
		}
		finally {
			this.openConnections.decrementAndGet();
		}
	}

	private static void readBody(InputStream in, String head) throws IOException {
		if (CHUNKED.matcher(head).find()) {
			int size;
			do {
				size = Integer.parseInt(readLine(in), 16);
				in.readNBytes(size + 2);
			}
			while (size > 0);
			return;
		}
		Matcher length = CONTENT_LENGTH.matcher(head);
		in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int next = in.read(); next != '\n'; next = in.read()) {
			if (next < 0) {
				throw new IOException("connection closed in a chunk size");
			}
			if (next != '\r') {
				line.write(next);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	private static boolean answersPlainly(String target) {
		return target.contains("version") || target.contains("wait");
	}

	private static void stream(OutputStream out) throws IOException, InterruptedException {
		out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
			.getBytes(StandardCharsets.ISO_8859_1));
		for (int i = 0;; i++) {
			String event = "{\"event\":" + i + "}\n";
			out.write((Integer.toHexString(event.length()) + "\r\n" + event + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			Thread.sleep(100);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new IOException("connection closed in the request head");
			}
			head.write(next);
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

}
