package dev.socketproxy.access;

/**
 * A request body the body decision read whole and judged, handed on to the filters after
 * it, which read the same bytes rather than the body again.
 *
 * @param bytes the body as received; empty for none
 * @param json the body as {@code access.body.EngineJson} read it: maps, lists and scalars;
 * {@code null} for an empty body
 */
public record JudgedBody(byte[] bytes, Object json) {
}
