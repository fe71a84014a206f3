package dev.socketproxy.access;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.config.AccessRules;
import dev.socketproxy.config.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway carries out the admission's verdict: the refusal with its status, body and
 * log line, the report-only finding forwarded with its line, the allowed request
 * forwarded with its line, and the verdict kept in the exchange for the filters after it.
 * A mock request has no Netty request to read the raw head from, so the test gives the
 * filter the raw request-line target and the headers through its head-reading seam.
 */
class AdmissionFilterTest {

	private static final Map<String, List<String>> RULES = Map.of("GET", List.of("/v1\\.[0-9]+/version"));

	private static final String RAW_TARGET = AdmissionFilterTest.class.getName() + ".target";

	private static final InetSocketAddress ALLOWED_CLIENT = new InetSocketAddress(IpLiterals.parse("127.0.0.1"), 40000);

	private final Logger accessLog = (Logger) LoggerFactory.getLogger(AccessLog.class);

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	private final List<String> meters = new ArrayList<>();

	private Level level;

	private boolean forwarded;

	@BeforeEach
	void captureAccessLog() {
		this.level = this.accessLog.getLevel();
		this.accessLog.setLevel(Level.DEBUG);
		this.lines.start();
		this.accessLog.addAppender(this.lines);
	}

	@AfterEach
	void releaseAccessLog() {
		this.accessLog.detachAppender(this.lines);
		this.accessLog.setLevel(this.level);
	}

	@Test
	void aClientOutsideTheAllowlistIsRefusedBeforeAnythingElse() {
		MockServerWebExchange exchange = exchange(
				MockServerHttpRequest.get("/v1.41/version").remoteAddress(new InetSocketAddress("10.0.0.1", 40000)),
				"/../version");
		filter(false, exchange);
		assertRefused(exchange, HttpStatus.FORBIDDEN, "Forbidden", "forbidden IP");
		assertThat(GatewayExchange.rules(exchange)).isNull();
		assertThat(line().get("client")).isEqualTo("10.0.0.1:40000");
		assertThat(line()).doesNotContainKey("rules");
	}

	@Test
	void anAmbiguousHeadIsRefusedWithTheClientsRulesInItsLine() {
		MockServerWebExchange exchange = exchange(
				MockServerHttpRequest.get("/v1.41/version").header("Host", "a").header("Host", "b"), "/v1.41/version");
		filter(false, exchange);
		assertRefused(exchange, HttpStatus.BAD_REQUEST, "Bad Request: more than one Host header",
				"more than one Host header");
		assertThat(line().get("rules")).isEqualTo(ClientRules.DEFAULT_NAME);
	}

	@Test
	void aNonCanonicalTargetIsRefusedAsTheRequestLineHadIt() {
		MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/v1.41/version").header("Host", "a"),
				"/v1.41/%2e%2e/version");
		filter(false, exchange);
		assertRefused(exchange, HttpStatus.BAD_REQUEST, "Bad Request: non-canonical path: dot segment",
				"non-canonical path: dot segment");
		assertThat(GatewayExchange.target(exchange)).isNull();
	}

	@Test
	void theRulesRefuseAMethodOrPath() {
		MockServerWebExchange method = exchange(MockServerHttpRequest.delete("/v1.41/version").header("Host", "a"),
				"/v1.41/version");
		filter(false, method);
		assertRefused(method, HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", "method not allowed");

		MockServerWebExchange path = exchange(MockServerHttpRequest.get("/v1.41/info").header("Host", "a"),
				"/v1.41/info");
		filter(false, path);
		assertRefused(path, HttpStatus.FORBIDDEN, "Forbidden", "path not allowed");
		assertThat(GatewayExchange.target(path).path()).isEqualTo("/v1.41/info");
	}

	@Test
	void anAllowedRequestIsForwardedAfterItsLine() {
		MockServerWebExchange exchange = exchange(
				MockServerHttpRequest.get("/v1.41/version?all=1").header("Host", "a"), "/v1.41/version?all=1");
		filter(false, exchange);
		assertThat(this.forwarded).isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(GatewayExchange.verdict(exchange).decision()).isEqualTo(Admission.Decision.ALLOWED);
		assertThat(GatewayExchange.target(exchange)).hasToString("/v1.41/version?all=1");
		assertThat(GatewayExchange.denial(exchange)).isNull();
		assertThat(this.lines.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
			assertThat(event.getFormattedMessage()).isEqualTo("allowed request");
		});
		assertThat(line()).containsExactlyEntriesOf(fields("method", "GET", "path", "/v1.41/version?all=1", "client",
				"127.0.0.1:40000", "rules", ClientRules.DEFAULT_NAME));
		assertThat(this.meters).as("counted when it ends, not here").isEmpty();
	}

	@Test
	void reportOnlyForwardsWhatTheRulesRefuseAfterItsWouldBlockLine() {
		MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("/v1.41/info").header("Host", "a"),
				"/v1.41/info");
		filter(true, exchange);
		assertThat(this.forwarded).isTrue();
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(GatewayExchange.denial(exchange)).isNull();
		assertThat(GatewayExchange.reported(exchange)).isEqualTo(Denial.PATH_NOT_ALLOWED);
		assertThat(this.lines.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).isEqualTo("would block request (report-only)");
		});
		assertThat(line()).containsExactlyEntriesOf(fields("method", "GET", "path", "/v1.41/info", "client",
				"127.0.0.1:40000", "rules", ClientRules.DEFAULT_NAME, "reason", "path not allowed", "status", "403"));
	}

	private void filter(boolean reportOnly, MockServerWebExchange exchange) {
		this.lines.list.clear();
		this.forwarded = false;
		ActivePolicy policy = new ActivePolicy(
				AccessPolicy.compile(List.of("127.0.0.1/32"), new AccessRules(RULES, List.of(), List.of(), false, List.of(), false, null, null), "socket-proxy"));
		Admission admission = new Admission(
				new ClientSelector(policy, new HostnameAddresses(Duration.ofSeconds(10)), Optional.empty()), policy,
				new RequestHeadChecks(100), false, reportOnly);
		RequestRecorder recorder = new RequestRecorder(new RecordingMeters(this.meters), () -> {
		});
		String target = exchange.getAttribute(RAW_TARGET);
		AdmissionFilter filter = new AdmissionFilter(admission, recorder,
				(request) -> new RequestHead(request.getMethod().name(), target, nettyHeaders(request.getHeaders()),
						request.getRemoteAddress(), request.getURI()));
		GatewayFilterChain chain = (forwarded) -> {
			this.forwarded = true;
			return Mono.empty();
		};
		filter.filter(exchange, chain).block(Duration.ofSeconds(5));
	}

	/** A mock exchange whose request line's target, as the client sent it, is {@code target}. */
	private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request, String target) {
		MockServerHttpRequest built = request.build();
		if (built.getRemoteAddress() == null) {
			built = request.remoteAddress(ALLOWED_CLIENT).build();
		}
		MockServerWebExchange exchange = MockServerWebExchange.from(built);
		exchange.getAttributes().put(RAW_TARGET, target);
		return exchange;
	}

	private static HttpHeaders nettyHeaders(org.springframework.http.HttpHeaders headers) {
		HttpHeaders netty = new DefaultHttpHeaders();
		headers.forEach((name, values) -> values.forEach((value) -> netty.add(name, value)));
		return netty;
	}

	private void assertRefused(MockServerWebExchange exchange, HttpStatus status, String body, String reason) {
		assertThat(this.forwarded).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(status);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5))).isEqualTo(body + "\n");
		assertThat(GatewayExchange.denial(exchange).reason()).isEqualTo(reason);
		assertThat(GatewayExchange.verdict(exchange).decision()).isEqualTo(Admission.Decision.REFUSED);
		assertThat(this.lines.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).isEqualTo("blocked request");
		});
		assertThat(line().get("reason")).isEqualTo(reason);
		assertThat(line().get("status")).isEqualTo(Integer.toString(status.value()));
	}

	/** The key-value fields of the one access log line, in order. */
	private Map<String, String> line() {
		Map<String, String> fields = new LinkedHashMap<>();
		this.lines.list.get(0).getKeyValuePairs().forEach((pair) -> fields.put(pair.key, String.valueOf(pair.value)));
		return fields;
	}

	private static Map<String, String> fields(String... keysAndValues) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			fields.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return fields;
	}


	@Test
	void theRoutedUriIsTheOneTheGatewayForwards() {
		for (String kept : List.of("/v1.41/version", "/v1.41/images/create?fromImage=busybox&tag=1.36",
				"/v1.41/containers/json?all=1&filters=%7B%7D", "/build?t=a&t=b&x=a=b", "/v1.41/info?a&b=")) {
			assertThat(AdmissionFilter.routed(URI.create("http://127.0.0.1:2375" + kept))).as(kept)
				.isEqualTo(URI.create("http://127.0.0.1:2375" + kept));
		}
		assertThat(AdmissionFilter.routed(URI.create("http://h/images/create?fromImage=busybox&=tag&tag=1.36")).getRawQuery())
			.isEqualTo("fromImage=busybox&tag&tag=1.36");
		assertThat(AdmissionFilter.routed(URI.create("http://h/build?t=a&q=1&t=b")).getRawQuery()).isEqualTo("t=a&t=b&q=1");
		assertThat(RequestHead.grouped("t=a&q=1&&t=b")).as("read alike, so allowed").isEqualTo("t=a&t=b&q=1");
		assertThat(RequestHead.grouped("&&")).isNull();
		assertThat(AdmissionFilter.routed(URI.create("http://h/version?&&")).getRawQuery()).isNull();
		assertThat(AdmissionFilter.routed(URI.create("http://h/containers/json?x=a=b&filters=%7B%7D")).getRawQuery())
			.isEqualTo("x=a=b&filters=%257B%257D");
	}

}
