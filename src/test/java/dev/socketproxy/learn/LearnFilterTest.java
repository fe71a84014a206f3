package dev.socketproxy.learn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RequestTarget;

import static org.assertj.core.api.Assertions.assertThat;

/** Learn mode records what reached the rules, by client IP, method and decoded path, never the query. */
class LearnFilterTest {

	private final LearnedTraffic traffic = new LearnedTraffic(10, 100);

	private final LearnFilter filter = new LearnFilter(this.traffic);

	@Test
	void recordsTheClientMethodAndPathWithoutTheQuery() throws Exception {
		MockServerWebExchange exchange = judged(MockServerHttpRequest.get("/v1.47/containers/web/json?size=true")
			.remoteAddress(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40000)));
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		this.filter.filter(exchange, (received) -> {
			forwarded.set(received);
			return Mono.empty();
		}).block();

		assertThat(forwarded.get()).isSameAs(exchange);
		assertThat(this.traffic.snapshot()).containsOnlyKeys("127.0.0.2");
		assertThat(this.traffic.snapshot().get("127.0.0.2").allow())
			.containsExactly(Map.entry("GET", List.of("/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json")));
	}

	@Test
	void aRequestThatNeverReachedTheRulesIsNotRecordedButPasses() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1.47/version"));
		AtomicReference<ServerWebExchange> forwarded = new AtomicReference<>();

		this.filter.filter(exchange, (received) -> {
			forwarded.set(received);
			return Mono.empty();
		}).block();

		assertThat(forwarded.get()).isSameAs(exchange);
		assertThat(this.traffic.snapshot()).isEmpty();
	}

	@Test
	void aClientWithoutAnAddressIsTheUnixSocketListenersClient() {
		MockServerWebExchange exchange = judged(MockServerHttpRequest.head("/_ping"));

		this.filter.filter(exchange, (received) -> Mono.empty()).block();

		assertThat(this.traffic.snapshot()).containsOnlyKeys(LearnedRulesYaml.UNIX_CLIENT);
	}

	@Test
	void anIpv6ClientIsRecordedWithoutItsZone() throws Exception {
		InetAddress linkLocal = InetAddress.getByName("fe80::1%1");
		MockServerWebExchange exchange = judged(MockServerHttpRequest.get("/_ping")
			.remoteAddress(new InetSocketAddress(linkLocal, 40000)));

		this.filter.filter(exchange, (received) -> Mono.empty()).block();

		assertThat(linkLocal.getHostAddress()).contains("%");
		assertThat(this.traffic.snapshot()).containsOnlyKeys("fe80:0:0:0:0:0:0:1");
	}

	/** As the request target filter leaves an exchange whose target is canonical. */
	private static MockServerWebExchange judged(MockServerHttpRequest.BaseBuilder<?> builder) {
		MockServerHttpRequest request = builder.build();
		URI uri = request.getURI();
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		GatewayExchange.putVerdict(exchange, new Admission.Verdict(Admission.Decision.ALLOWED, null,
				RequestTarget.parse(uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "")), null));
		return exchange;
	}

}
