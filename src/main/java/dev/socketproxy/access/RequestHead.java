package dev.socketproxy.access;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What the {@link Admission} judges a request by: its head exactly as Netty decoded it,
 * and the client's address. Nothing of it is read from a parsed form, which could differ
 * from what the socket receives.
 *
 * @param method the method, case-sensitive as sent
 * @param target the request target exactly as in the request line
 * @param headers the headers as Netty decoded them
 * @param peer the client's TCP address; {@code null} on the Unix-socket listener
 * @param forwarded the URI the gateway parsed from the target and forwards; {@code null}
 * where the target itself is forwarded (the fast path)
 */
public record RequestHead(String method, String target, HttpHeaders headers, InetSocketAddress peer, URI forwarded) {

	/** Whether the gateway forwards the very path and query of this canonical target. */
	boolean forwards(RequestTarget canonical) {
		return this.forwarded == null || (canonical.rawPath().equals(this.forwarded.getRawPath())
				&& Objects.equals(canonical.rawQuery(), this.forwarded.getRawQuery()));
	}

}
