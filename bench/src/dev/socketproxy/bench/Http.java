package dev.socketproxy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The smallest HTTP client there is: one GET, the status code back. No library in the way. */
final class Http {

	private Http() {
	}

	/** Status of {@code GET path} on 127.0.0.1:port, or -1 when nothing answers. */
	static int status(int port, String path) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] line = new byte[12];
			int read = in.readNBytes(line, 0, 12);
			if (read < 12) {
				return -1;
			}
			return Integer.parseInt(new String(line, 9, 3, StandardCharsets.ISO_8859_1));
		}
		catch (IOException | NumberFormatException ex) {
			return -1;
		}
	}

	/** Waits (at most 60 s) until {@code GET path} answers 200. */
	static void awaitOk(String name, Process process, int port, String path) {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException(name + " exited with code " + process.exitValue());
			}
			if (status(port, path) == 200) {
				return;
			}
			Launched.sleep(Duration.ofMillis(10));
		}
		throw new IllegalStateException(name + " did not answer 200 on port " + port + " within 60 s");
	}

}
