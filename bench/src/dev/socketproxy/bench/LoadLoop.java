package dev.socketproxy.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load with a timeline, where wrk only gives totals: {@code threads} keep-alive
 * connections each send {@code GET path} back to back (like {@code wrk -t1 -cN}) and
 * record when each answer ended and whether it was a 200. A refused or broken
 * connection counts as one failed request and is dialed again at once.
 */
final class LoadLoop {

	/** One request: when it ended ({@link System#nanoTime()}) and whether it got a 200. */
	record Outcome(long endNanos, boolean ok) {
	}

	private final int port;

	private final byte[] request;

	private final List<Thread> threads = new ArrayList<>();

	private final List<List<Outcome>> outcomes = new ArrayList<>();

	private volatile boolean running = true;

	private LoadLoop(int port, String path) {
		this.port = port;
		this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
	}

	static LoadLoop start(int port, String path, int connections) {
		LoadLoop loop = new LoadLoop(port, path);
		for (int i = 0; i < connections; i++) {
			List<Outcome> own = new ArrayList<>();
			loop.outcomes.add(own);
			Thread thread = new Thread(() -> loop.run(own), "load-loop-" + i);
			thread.setDaemon(true);
			loop.threads.add(thread);
			thread.start();
		}
		return loop;
	}

	/** Stops the load and returns every outcome, in order of their end. */
	List<Outcome> stop() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(Duration.ofSeconds(15).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		List<Outcome> all = new ArrayList<>();
		this.outcomes.forEach(all::addAll);
		all.sort((a, b) -> Long.compare(a.endNanos, b.endNanos));
		return all;
	}

	private void run(List<Outcome> own) {
		Socket socket = null;
		InputStream in = null;
		while (this.running) {
			boolean ok;
			boolean keep = false;
			try {
				if (socket == null) {
					socket = new Socket();
					socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 5000);
					socket.setSoTimeout(5000);
					socket.setTcpNoDelay(true);
					in = new BufferedInputStream(socket.getInputStream());
				}
				OutputStream out = socket.getOutputStream();
				out.write(this.request);
				out.flush();
				Response response = Response.read(in);
				ok = response.status == 200;
				keep = response.keepAlive;
			}
			catch (IOException | RuntimeException ex) {
				ok = false;
			}
			own.add(new Outcome(System.nanoTime(), ok));
			if (!keep && socket != null) {
				close(socket);
				socket = null;
			}
		}
		if (socket != null) {
			close(socket);
		}
	}

	private static void close(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// gone already
		}
	}

	/**
	 * The status of one response read to its end, and whether the connection may carry the
	 * next request. Bodies are read and dropped: Content-Length or chunked; a response
	 * without either ends with the connection.
	 */
	record Response(int status, boolean keepAlive) {

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
				throw new IOException("no status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long length = -1;
			boolean chunked = false;
			boolean close = false;
			String header;
			while (!(header = line(in)).isEmpty()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					length = Long.parseLong(lower.substring(15).trim());
				}
				else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
					chunked = true;
				}
				else if (lower.startsWith("connection:") && lower.contains("close")) {
					close = true;
				}
			}
			if (chunked) {
				long size;
				while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
					in.skipNBytes(size + 2);
				}
				while (!line(in).isEmpty()) {
					// trailers
				}
			}
			else if (length >= 0) {
				in.skipNBytes(length);
			}
			else {
				while (in.read() >= 0) {
					// the body ends with the connection
				}
				close = true;
			}
			return new Response(status, !close);
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0) {
				if (c == '\n') {
					int end = line.length();
					return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
				}
				line.append((char) c);
			}
			throw new IOException("connection closed");
		}

	}

}
