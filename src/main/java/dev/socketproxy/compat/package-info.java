/**
 * Workarounds for framework behaviour, each in one place with the upstream issue (or the
 * exact behaviour, where no issue exists) and a canary test in
 * {@code src/test/java/dev/socketproxy/compat} that exercises the framework without the
 * workaround and fails, saying which workaround can go, the day the fix lands.
 * <table>
 * <caption>Workarounds</caption>
 * <tr><th>Workaround</th><th>Framework behaviour</th><th>Canary</th></tr>
 * <tr><td>{@link dev.socketproxy.compat.Http11RequestLine} (installed by
 * {@code upstream.UnixSocketHttpClientFactory})</td>
 * <td>Reactor Netty's client sends {@code HTTP/3.0} on NIO's Unix-socket channel:
 * <a href="https://github.com/reactor/reactor-netty/issues/3692">reactor-netty#3692</a>
 * was fixed for the epoll and kqueue channels only; no issue names the NIO case.</td>
 * <td>{@code Http11RequestLineTest.reactorNettyStillSendsHttp3OnTheNioUnixSocketChannel}</td></tr>
 * <tr><td>{@link dev.socketproxy.compat.TunnelOutbound} (used by
 * {@code upstream.ByteSplice}; half-closure allowed by {@code upstream.UpgradeRequestGuard}
 * and {@code upstream.UpgradeTunnel})</td>
 * <td>Netty's epoll transport drops a half-closed connection from epoll and then fails to
 * wait for writability ({@code epoll_ctl(MOD)}: {@code ENOENT}), cutting a large answer;
 * no upstream issue found, to be reported at
 * <a href="https://github.com/netty/netty/issues">netty/netty</a>.</td>
 * <td>{@code TunnelOutboundTest.nettysEpollTransportStillCutsALargeWriteAfterTheInputEnded}</td></tr>
 * <tr><td>{@link dev.socketproxy.compat.KeepAliveReadResume} (installed by
 * {@code listener.ClientPipeline})</td>
 * <td>Reactor Netty's HTTP/1.1 server stops reading a keep-alive connection after a queued
 * request (one that arrived before the previous answer's end had passed) is answered
 * within the drain of its queue, as a refusal is: the client's next request is never read
 * (<a href="https://github.com/reactor/reactor-netty/issues/4361">reactor-netty#4361</a>).</td>
 * <td>{@code KeepAliveReadResumeTest.reactorNettyStillStopsReadingAfterAQueuedRequestIsAnsweredAtOnce}</td></tr>
 * <tr><td>{@code com.google.re2j.PatternProgram} (used by {@code access.PathAutomaton}):
 * it must stay in RE2/J's package to read RE2/J's package-private program</td>
 * <td>RE2/J has no public API for its compiled program ({@code Prog}, {@code Inst}); no
 * upstream issue found, to be requested at
 * <a href="https://github.com/google/re2j/issues">google/re2j</a>.</td>
 * <td>{@code PatternProgramCanaryTest}; {@code com.google.re2j.PatternProgramTest} pins
 * the program's shape across RE2/J upgrades</td></tr>
 * <tr><td>Auto-configurations excluded by class name in {@code SocketProxyApplication}
 * ({@code excludeName})</td>
 * <td>The compiler cannot check a name; a class renamed or moved by a Spring upgrade
 * would silently come back.</td>
 * <td>{@code ExcludedAutoConfigurationsTest}</td></tr>
 * <tr><td>A test that sets {@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers}
 * puts the gateway's default set back afterwards ({@code FastPathIT})</td>
 * <td>Spring Cloud Gateway's {@code RemoveHopByHopHeadersFilter} starts with its static
 * default set as its own, and Spring Boot binds the setting into that set in place, so it
 * reaches every later gateway in the JVM; no upstream issue found, to be reported at
 * <a href="https://github.com/spring-cloud/spring-cloud-gateway/issues">spring-cloud/spring-cloud-gateway</a>.</td>
 * <td>{@code HopByHopDefaultsCanaryTest}</td></tr>
 * </table>
 */
package dev.socketproxy.compat;
