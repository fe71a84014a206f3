package dev.socketproxy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends bytes exactly as given over a plain TCP socket and reads the responses back,
 * because an HTTP client library would normalise the very requests a test needs to send.
 */
public final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Writes {@code request}, then reads up to {@code responses} final responses (1xx
	 * responses are skipped) until the server closes or {@code timeoutMillis} pass
	 * without a byte.
	 */
	public static List<Response> exchange(int port, byte[] request, int responses, int timeoutMillis) {
		return exchangeFrom(null, port, request, responses, timeoutMillis);
	}

	/** As {@link #exchange}, from the local address {@code from}, or any when {@code null}. */
	public static List<Response> exchangeFrom(String from, int port, byte[] request, int responses, int timeoutMillis) {
		try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port,
				(from != null) ? InetAddress.getByName(from) : null, 0)) {
			socket.setSoTimeout(timeoutMillis);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			InputStream in = socket.getInputStream();
			List<Response> result = new ArrayList<>();
			while (result.size() < responses) {
				Response response = readResponse(in);
				if (response == null) {
					break;
				}
				if (response.status() >= 200) {
					result.add(response);
				}
			}
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Opens a connection for a test that needs more than {@link #exchange}: the client's
	 * own port (which the proxy logs as {@code client}), interim responses such as a
	 * {@code 101}, the raw bytes after one, and whether the proxy closed.
	 */
	public static Conversation open(int port, int timeoutMillis) {
		try {
			Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
			socket.setSoTimeout(timeoutMillis);
			return new Conversation(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Latin-1 bytes of {@code text}, so that every char below 256 is sent as that byte. */
	public static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** Reads one response (1xx included) from a connection kept open; {@code null} once it is closed. */
	public static Response readResponse(InputStream in) throws IOException {
		String head = readHead(in);
		if (head == null) {
			return null;
		}
		String[] lines = head.split("\r\n");
		int status = Integer.parseInt(lines[0].split(" ")[1]);
		long contentLength = -1;
		boolean chunked = false;
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i].toLowerCase(Locale.ROOT);
			if (line.startsWith("content-length:")) {
				contentLength = Long.parseLong(line.substring(15).trim());
			}
			if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
				chunked = true;
			}
		}
		String body = "";
		if (status >= 200 && status != 204 && status != 304) {
			body = chunked ? readChunked(in) : readFixed(in, Math.max(contentLength, 0));
		}
		return new Response(status, head, body);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		try {
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					return null;
				}
				head.write(b);
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
		}
		catch (SocketTimeoutException | java.net.SocketException ex) {
			return null;
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

	private static String readFixed(InputStream in, long length) throws IOException {
		byte[] body = in.readNBytes((int) length);
		return new String(body, StandardCharsets.UTF_8);
	}

	private static String readChunked(InputStream in) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine(in);
			int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
			if (size == 0) {
				readLine(in);
				return body.toString(StandardCharsets.UTF_8);
			}
			body.write(in.readNBytes(size));
			readLine(in);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0 && b != '\n') {
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.ISO_8859_1);
	}

	/** One client connection to the proxy, read response by response. */
	public static final class Conversation implements AutoCloseable {

		private final Socket socket;

		private Conversation(Socket socket) {
			this.socket = socket;
		}

		/** The client's port, as the proxy's access log shows it ({@code client="127.0.0.1:PORT"}). */
		public int localPort() {
			return this.socket.getLocalPort();
		}

		public Conversation write(byte[] bytes) {
			try {
				this.socket.getOutputStream().write(bytes);
				this.socket.getOutputStream().flush();
				return this;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** The next response, interim ones ({@code 101}) included; {@code null} on close or timeout. */
		public Response next() {
			try {
				return readResponse(this.socket.getInputStream());
			}
			catch (IOException ex) {
				return null;
			}
		}

		/** Exactly {@code length} bytes (fewer if the connection ends first), as Latin-1 text. */
		public String bytes(int length) {
			try {
				return new String(this.socket.getInputStream().readNBytes(length), StandardCharsets.ISO_8859_1);
			}
			catch (IOException ex) {
				return "";
			}
		}

		/**
		 * Whether the proxy closes the connection without sending another byte, within the
		 * read timeout; {@code false} also when it sends more.
		 */
		public boolean closedByPeer() {
			try {
				return this.socket.getInputStream().read() < 0;
			}
			catch (java.net.SocketException ex) {
				// a reset is a close too
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		public void shutdownOutput() {
			try {
				this.socket.shutdownOutput();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/**
	 * One response as read from the wire.
	 *
	 * @param status the status code
	 * @param head the status line and headers
	 * @param body the body as text
	 */
	public record Response(int status, String head, String body) {
	}

}
