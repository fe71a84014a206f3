package dev.socketproxy.access;

/**
 * Hears of every answer the socket gives a forwarded request, whichever path forwarded
 * it: the fast path's answers never reach the gateway's filters. The upstream outage log
 * ends an outage on the first one.
 */
@FunctionalInterface
public interface SocketAnswers {

	void answered();

}
