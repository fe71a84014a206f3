package dev.socketproxy.upstream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Writes an upgrade request as HTTP/1.1 bytes for the socket: the method, the raw path
 * and query, and every header as the decision saw them, {@code Host}, {@code Connection}
 * and {@code Upgrade} included. The body has already been read whole, so it is sent with
 * its length instead of any transfer coding the client used.
 */
final class UpgradeRequestEncoder {

	private UpgradeRequestEncoder() {
	}

	static byte[] encode(ServerHttpRequest request, byte[] body) {
		StringBuilder head = new StringBuilder(512);
		String query = request.getURI().getRawQuery();
		head.append(request.getMethod().name())
			.append(' ')
			.append(request.getURI().getRawPath())
			.append((query != null) ? "?" + query : "")
			.append(" HTTP/1.1\r\n");
		HttpHeaders headers = request.getHeaders();
		boolean hadLength = headers.getContentLength() >= 0;
		headers.forEach((name, values) -> {
			if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) && !name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
				values.forEach((value) -> head.append(name).append(": ").append(value).append("\r\n"));
			}
		});
		if (hadLength || body.length > 0) {
			head.append(HttpHeaders.CONTENT_LENGTH).append(": ").append(body.length).append("\r\n");
		}
		head.append("\r\n");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + body.length);
		bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		bytes.writeBytes(body);
		return bytes.toByteArray();
	}

}
