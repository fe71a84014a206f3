package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Unix-socket server written against the raw bytes, because an HTTP server library
 * hides exactly what a smuggling test must see. It parses every request on every
 * connection the way Go's net/http (dockerd) does: request line, headers (bare LF and
 * folded lines accepted, as Go does), {@code Content-Length} and chunked bodies, one
 * request after the other on a kept-alive connection; it keeps each body (its first MiB)
 * with its request. Whatever Go would refuse with a
 * {@code 400} is recorded as unparseable bytes, answered {@code 400} and the connection
 * closed; bytes that arrive after a request that is answered {@code 101}, but before the
 * {@code 101} is written, are recorded as such. Everything received also goes to
 * {@link ReceivedRequest#all()}, which the {@link JudgedOnly} check reads.
 * <p>
 * What it answers is a {@link Script}. {@link #start(Path)} keeps the answers the tunnel
 * tests were written against; {@link #dockerLike()} answers as dockerd does.
 */
public final class RawUnixSocketServer implements AutoCloseable {

	/** Go's {@code http.DefaultMaxHeaderBytes}. */
	private static final int MAX_HEAD = 1 << 20;

	/** How much of each request body is kept for a test to read. */
	private static final int MAX_KEPT_BODY = 1 << 20;

	/**
	 * The endpoints dockerd hijacks: attach, its websocket, exec start, BuildKit's session
	 * and gRPC, each optionally behind an API version.
	 */
	public static final Pattern HIJACKED = Pattern
		.compile("(/v[0-9]+\\.[0-9]+)?/(containers/[^/?]+/attach(/ws)?|exec/[^/?]+/start|session|grpc)(\\?.*)?");

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private final Path socket;

	private final ServerSocketChannel server;

	private final Script script;

	private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger openConnections = new AtomicInteger();

	private final AtomicInteger connections = new AtomicInteger();

	private final List<String> sunk = new CopyOnWriteArrayList<>();

	private RawUnixSocketServer(Path socket, ServerSocketChannel server, Script script) {
		this.socket = socket;
		this.server = server;
		this.script = script;
		Thread acceptor = new Thread(this::accept, "raw-unix-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Answers requests that ask to switch protocols with {@code 101} and then echoes every
	 * byte until the client half-closes, like {@code docker exec -i ... cat}; a target with
	 * {@code missing} gets a 404 (kept alive after an upgrade request, as dockerd's, else
	 * closed); {@code version} and {@code wait} get a 200 and the connection closes (no
	 * pooled connection stays open between tests, which count them); {@code stream} gets a
	 * chunk every 100 ms until the connection breaks; {@code sink} switches protocols, says
	 * {@code bye}, half-closes and then keeps what the client still sends until it
	 * half-closes too.
	 */
	public static RawUnixSocketServer start(Path socket) {
		return start(socket, RawUnixSocketServer::tunnelTestAnswer);
	}

	public static RawUnixSocketServer start(Path socket, Script script) {
		try {
			Files.deleteIfExists(socket);
			ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			server.bind(UnixDomainSocketAddress.of(socket));
			return new RawUnixSocketServer(socket, server, script);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * dockerd's answers: a {@link #HIJACKED} endpoint that asks to upgrade gets {@code 101
	 * UPGRADED} and then an echo (as {@code docker exec -i ... cat}), unless its id
	 * contains {@code missing}: then {@code 404} with a JSON message and the connection
	 * kept alive; one that does not ask to upgrade gets a raw stream of one line to the end
	 * of the connection; every other request {@code 200} with a small JSON body, kept alive.
	 */
	public static Script dockerLike() {
		return (request) -> {
			if (HIJACKED.matcher(request.target()).matches()) {
				if (request.target().contains("missing")) {
					return Answer.json(404, "Not Found", "{\"message\":\"No such container: missing\"}");
				}
				if (header(request.head(), "upgrade") != null) {
					return Answer.switchProtocols("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream"
							+ "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
				}
				// dockerd hijacks these without an upgrade too: a raw stream to the end of the
				// connection, here a process that prints a line and ends
				return Answer.raw("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\noutput\n");
			}
			return Answer.json(200, "OK", "{\"seen\":\"" + request.method() + " " + request.target() + "\"}");
		};
	}

	public Path socketPath() {
		return this.socket;
	}

	/** Every request parsed, and every run of bytes that was not one, in order of arrival. */
	public List<ReceivedRequest> received() {
		return List.copyOf(this.received);
	}

	/** Every request head received (request line and headers), in order. */
	public List<String> requestHeads() {
		return this.received.stream().filter(ReceivedRequest::parsed).map(ReceivedRequest::head).toList();
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
				String id = String.valueOf(this.connections.incrementAndGet());
				Thread handler = new Thread(() -> serve(connection, id), "raw-unix-connection-" + id);
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(SocketChannel channel, String id) {
		try (channel) {
			Wire wire = new Wire(channel);
			boolean open = true;
			while (open) {
				wire.startMessage();
				ReceivedRequest request;
				try {
					request = readRequest(wire, id);
					if (request == null) {
						return;
					}
				}
				catch (Unparseable ex) {
					record(new ReceivedRequest(this.socket.toString(), id, null, null,
							wire.consumed() + wire.drainAvailable(), null, ex.getMessage(), wire.startedAt()));
					wire.write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
							+ "Connection: close\r\n\r\n400 Bad Request");
					return;
				}
				open = this.script.answer(request).send(new Exchange(this, wire, request))
						&& !wantsClose(request.head());
			}
		}
		catch (IOException | InterruptedException ex) {
			// the peer went away; the connection closes below
		}
		finally {
			this.openConnections.decrementAndGet();
		}
	}

	private void record(ReceivedRequest request) {
		this.received.add(request);
		ReceivedRequest.add(request);
	}

	/** One request as Go's {@code http.ReadRequest} reads it; {@code null} at a clean end of the connection. */
	private ReceivedRequest readRequest(Wire wire, String id) throws IOException, Unparseable {
		String requestLine = wire.readLine(MAX_HEAD);
		if (requestLine == null) {
			return null;
		}
		String[] parts = requestLine.split(" ", -1);
		if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()
				|| !parts[2].matches("HTTP/1\\.[0-9]")) {
			throw new Unparseable("malformed HTTP request line");
		}
		for (char c : parts[1].toCharArray()) {
			if (c < 0x21 || c == 0x7f) {
				throw new Unparseable("invalid control character in URL");
			}
		}
		List<String[]> headers = new ArrayList<>();
		StringBuilder head = new StringBuilder(requestLine).append("\r\n");
		while (true) {
			String line = wire.readLine(MAX_HEAD);
			if (line == null) {
				throw new Unparseable("connection ended in the request head");
			}
			if (line.isEmpty()) {
				break;
			}
			if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
				if (headers.isEmpty()) {
					throw new Unparseable("malformed MIME header initial line");
				}
				// obs-fold: Go's textproto joins a continuation line to the field with a space
				String[] last = headers.get(headers.size() - 1);
				last[1] = last[1] + " " + line.strip();
			}
			else {
				int colon = line.indexOf(':');
				if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
					throw new Unparseable("malformed MIME header line");
				}
				headers.add(new String[] { line.substring(0, colon), line.substring(colon + 1).strip() });
			}
			head.append(line).append("\r\n");
			if (head.length() > MAX_HEAD) {
				throw new Unparseable("request head too large");
			}
		}
		head.append("\r\n");
		for (String[] header : headers) {
			for (char c : header[1].toCharArray()) {
				if ((c < 0x20 && c != '\t') || c == 0x7f) {
					throw new Unparseable("invalid header field value for " + header[0]);
				}
			}
		}
		List<String> hosts = values(headers, "host");
		if (parts[2].equals("HTTP/1.1") && hosts.size() != 1) {
			throw new Unparseable(hosts.isEmpty() ? "missing required Host header" : "too many Host headers");
		}
		ReceivedRequest request = new ReceivedRequest(this.socket.toString(), id, parts[0], parts[1], head.toString(),
				new byte[0], null, wire.startedAt());
		// dockerd acts on a request once its head is in, before it reads the body
		record(request);
		String early = this.script.beforeBody(request);
		if (early != null) {
			wire.write(early);
		}
		wire.body = new ByteArrayOutputStream();
		readBody(wire, headers, request);
		byte[] body = wire.body.toByteArray();
		wire.body = null;
		if (body.length == 0) {
			return request;
		}
		ReceivedRequest withBody = new ReceivedRequest(request.server(), request.connection(), request.method(),
				request.target(), request.head(), body, null, request.at());
		this.received.set(this.received.indexOf(request), withBody);
		ReceivedRequest.replace(request, withBody);
		return withBody;
	}

	/** Reads the body, framed as Go frames a request body, into {@link Wire#body}. */
	private static void readBody(Wire wire, List<String[]> headers, ReceivedRequest request)
			throws IOException, Unparseable {
		List<String> encodings = values(headers, "transfer-encoding");
		List<String> lengths = values(headers, "content-length");
		if (!encodings.isEmpty() || !lengths.isEmpty()) {
			continueIfExpected(wire, headers);
		}
		if (encodings.size() > 1) {
			throw new Unparseable("too many transfer encodings");
		}
		if (encodings.size() == 1) {
			if (!encodings.get(0).equalsIgnoreCase("chunked")) {
				throw new Unparseable("unsupported transfer encoding " + encodings.get(0));
			}
			// Go ignores Content-Length beside chunked
			readChunked(wire);
			return;
		}
		if (lengths.isEmpty()) {
			return;
		}
		for (String length : lengths) {
			if (!length.equals(lengths.get(0))) {
				throw new Unparseable("multiple Content-Length headers");
			}
		}
		if (!lengths.get(0).matches("[0-9]{1,18}")) {
			throw new Unparseable("bad Content-Length " + lengths.get(0));
		}
		if (!wire.skip(Long.parseLong(lengths.get(0)))) {
			throw new EndedInBody(request);
		}
	}

	private static void readChunked(Wire wire) throws IOException, Unparseable {
		while (true) {
			String line = wire.readLine(4096);
			if (line == null) {
				throw new EndedInBody(null);
			}
			String size = line.split(";", 2)[0].strip();
			if (!size.matches("[0-9a-fA-F]{1,16}")) {
				throw new Unparseable("malformed chunked encoding: chunk size " + size);
			}
			long length = Long.parseUnsignedLong(size, 16);
			if (length == 0) {
				break;
			}
			if (!wire.skip(length)) {
				throw new EndedInBody(null);
			}
			String end = wire.readLine(2);
			if (end == null) {
				throw new EndedInBody(null);
			}
			if (!end.isEmpty()) {
				throw new Unparseable("malformed chunked encoding: no CRLF after a chunk");
			}
		}
		while (true) {
			String trailer = wire.readLine(MAX_HEAD);
			if (trailer == null) {
				throw new EndedInBody(null);
			}
			if (trailer.isEmpty()) {
				return;
			}
			if (trailer.indexOf(':') <= 0) {
				throw new Unparseable("malformed trailer " + trailer);
			}
		}
	}

	/** Go sends {@code 100 Continue} when the handler first reads the body. */
	private static void continueIfExpected(Wire wire, List<String[]> headers) throws IOException {
		if (values(headers, "expect").stream().anyMatch("100-continue"::equalsIgnoreCase)) {
			wire.write("HTTP/1.1 100 Continue\r\n\r\n");
		}
	}

	private static List<String> values(List<String[]> headers, String name) {
		return headers.stream().filter((header) -> header[0].equalsIgnoreCase(name)).map((header) -> header[1]).toList();
	}

	/** The value of the first header {@code name} in a head as received, or {@code null}. */
	public static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
				return line.substring(colon + 1).strip();
			}
		}
		return null;
	}

	private static boolean wantsClose(String head) {
		String connection = header(head, "connection");
		boolean close = connection != null && List.of(connection.toLowerCase(Locale.ROOT).split("\\s*,\\s*"))
			.contains("close");
		return close || head.startsWith("HTTP/1.0", head.indexOf("\r\n") - 8);
	}

	private static Answer tunnelTestAnswer(ReceivedRequest request) {
		String target = request.target();
		if (target.contains("missing")) {
			// dockerd's refusal of an unknown id keeps an upgrade request's connection HTTP
			return (header(request.head(), "upgrade") != null) ? Answer.json(404, "Not Found", "not found\n")
					: Answer.raw("HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n");
		}
		if (target.contains("version") || target.contains("wait")) {
			return Answer.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
					+ "Connection: close\r\n\r\n{}\n");
		}
		if (target.contains("stream")) {
			return RawUnixSocketServer::stream;
		}
		if (target.contains("sink")) {
			return RawUnixSocketServer::sink;
		}
		return Answer.switchProtocols("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
	}

	private static boolean stream(Exchange exchange) throws IOException, InterruptedException {
		exchange.wire.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		for (int i = 0;; i++) {
			String event = "{\"event\":" + i + "}\n";
			exchange.wire.write(Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
			// the pace of an event stream, not a wait for a condition
			Thread.sleep(100);
		}
	}

	private static boolean sink(Exchange exchange) throws IOException, InterruptedException {
		exchange.checkNothingBeforeTheSwitch();
		exchange.wire.write("HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nbye\n");
		exchange.wire.channel.shutdownOutput();
		exchange.server.sunk.add(exchange.wire.readToEnd());
		return false;
	}

	/** What the server answers to each request it parsed. */
	@FunctionalInterface
	public interface Script {

		Answer answer(ReceivedRequest request);

		/**
		 * What to write as soon as the head is in, before the body is read (dockerd refuses
		 * some requests on their head alone); {@code null} for nothing.
		 */
		default String beforeBody(ReceivedRequest request) {
			return null;
		}

	}

	/** One answer; it returns whether the connection goes on with the next request. */
	@FunctionalInterface
	public interface Answer {

		boolean send(Exchange exchange) throws IOException, InterruptedException;

		/** A complete response with a JSON body; the connection stays open unless the request asked to close it. */
		static Answer json(int status, String reason, String body) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			return raw(true, "HTTP/1.1 " + status + " " + reason + "\r\nApi-Version: 1.41\r\n"
					+ "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
		}

		/** These bytes, then the connection closes. */
		static Answer raw(String response) {
			return raw(false, response);
		}

		private static Answer raw(boolean keepAlive, String response) {
			return (exchange) -> {
				exchange.wire.write(response);
				return keepAlive;
			};
		}

		/**
		 * {@code head} (a {@code 101}, or dockerd's {@code 200} raw stream), then an echo of
		 * every byte until the client half-closes, then a half-close. Bytes already there
		 * before the head is written are recorded: the client had no answer yet to send them
		 * on.
		 */
		static Answer switchProtocols(String head) {
			return (exchange) -> {
				String early = exchange.checkNothingBeforeTheSwitch();
				exchange.wire.write(head);
				exchange.wire.write(early);
				exchange.wire.echoToEnd();
				exchange.wire.channel.shutdownOutput();
				return false;
			};
		}

	}

	/** The request being answered and the connection it came on. */
	public static final class Exchange {

		private final RawUnixSocketServer server;

		private final Wire wire;

		private final ReceivedRequest request;

		private Exchange(RawUnixSocketServer server, Wire wire, ReceivedRequest request) {
			this.server = server;
			this.wire = wire;
			this.request = request;
		}

		/**
		 * Gives the proxy the time dockerd takes to find the container (so bytes it sends
		 * too early are there to see), then records whatever arrived.
		 */
		String checkNothingBeforeTheSwitch() throws IOException, InterruptedException {
			// the engine's latency, modelled: not a wait for a condition
			Thread.sleep(20);
			String early = this.wire.drainAvailable();
			if (!early.isEmpty()) {
				// the first bytes say what they are; a tunnel test may send megabytes
				this.server.record(new ReceivedRequest(this.server.socket.toString(), this.request.connection(), null, null,
						early.substring(0, Math.min(early.length(), 4096)), null, "bytes before the answer to " + this.request.method() + " " + this.request.target(),
						System.nanoTime()));
			}
			return early;
		}

	}

	/** The client stopped in the middle of a body: not a protocol error, just the end. */
	private static final class EndedInBody extends IOException {

		EndedInBody(ReceivedRequest request) {
			super("connection ended in the body" + ((request != null) ? " of " + request : ""));
		}

	}

	private static final class Unparseable extends Exception {

		Unparseable(String message) {
			super(message);
		}

	}

	/** A buffered connection that also remembers the bytes of the message being read. */
	private static final class Wire {

		private final SocketChannel channel;

		private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

		private final ByteArrayOutputStream consumed = new ByteArrayOutputStream();

		/** The body bytes of the request being read, when kept. */
		private ByteArrayOutputStream body;

		private long startedAt;

		Wire(SocketChannel channel) {
			this.channel = channel;
		}

		void startMessage() {
			this.consumed.reset();
			this.startedAt = 0;
		}

		long startedAt() {
			return (this.startedAt != 0) ? this.startedAt : System.nanoTime();
		}

		String consumed() {
			return this.consumed.toString(StandardCharsets.ISO_8859_1);
		}

		private boolean fill() throws IOException {
			this.buffer.compact();
			try {
				return this.channel.read(this.buffer) >= 0;
			}
			finally {
				this.buffer.flip();
			}
		}

		private int read() throws IOException {
			if (!this.buffer.hasRemaining() && !fill()) {
				return -1;
			}
			if (!this.buffer.hasRemaining()) {
				return read();
			}
			if (this.startedAt == 0) {
				this.startedAt = System.nanoTime();
			}
			int b = this.buffer.get() & 0xff;
			if (this.consumed.size() < 4096) {
				this.consumed.write(b);
			}
			return b;
		}

		/**
		 * A line without its LF (and a CR before it), {@code null} at the end of the
		 * connection before any byte of it; longer than {@code max}: unparseable.
		 */
		String readLine(int max) throws IOException, Unparseable {
			StringBuilder line = new StringBuilder();
			while (true) {
				int b = read();
				if (b < 0) {
					if (line.length() > 0) {
						throw new Unparseable("connection ended in a line");
					}
					return null;
				}
				if (b == '\n') {
					int end = line.length();
					return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
				}
				if (line.length() >= max + 1) {
					throw new Unparseable("line too long");
				}
				line.append((char) b);
			}
		}

		/** Reads body bytes; keeps up to {@link #MAX_KEPT_BODY} of them in {@link #body} while it is set. */
		boolean skip(long length) throws IOException {
			for (long i = 0; i < length; i++) {
				int b = read();
				if (b < 0) {
					return false;
				}
				if (this.body != null && this.body.size() < MAX_KEPT_BODY) {
					this.body.write(b);
				}
			}
			return true;
		}

		/** Whatever is buffered or can be read without blocking. */
		String drainAvailable() throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			while (this.buffer.hasRemaining()) {
				out.write(this.buffer.get());
			}
			this.channel.configureBlocking(false);
			try {
				ByteBuffer more = ByteBuffer.allocate(64 * 1024);
				while (this.channel.read(more) > 0) {
					out.write(more.array(), 0, more.position());
					more.clear();
				}
			}
			finally {
				this.channel.configureBlocking(true);
			}
			return out.toString(StandardCharsets.ISO_8859_1);
		}

		String readToEnd() throws IOException {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			for (int b = read(); b >= 0; b = read()) {
				out.write(b);
			}
			return out.toString(StandardCharsets.ISO_8859_1);
		}

		void echoToEnd() throws IOException {
			while (true) {
				if (!this.buffer.hasRemaining() && !fill()) {
					return;
				}
				ByteBuffer chunk = this.buffer.slice();
				this.buffer.position(this.buffer.limit());
				while (chunk.hasRemaining()) {
					this.channel.write(chunk);
				}
			}
		}

		void write(String bytes) throws IOException {
			ByteBuffer out = ByteBuffer.wrap(bytes.getBytes(StandardCharsets.ISO_8859_1));
			while (out.hasRemaining()) {
				this.channel.write(out);
			}
		}

	}

}
