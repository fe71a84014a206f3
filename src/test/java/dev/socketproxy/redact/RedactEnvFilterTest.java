package dev.socketproxy.redact;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.support.Chunks;

import static org.assertj.core.api.Assertions.assertThat;

class RedactEnvFilterTest {

	private static final ClientRules REDACTING = rules(true);

	private static final String INSPECT = "/v1.47/containers/web/json";

	private static final String ANSWER = "{\"Id\":\"abc\",\"Config\":{\"Env\":[\"PASSWORD=hunter2\"],"
			+ "\"Labels\":{\"traefik.enable\":\"true\"}}}\n";

	private final RedactEnvFilter filter = new RedactEnvFilter();

	@Test
	void anInspectAnswerLeavesWithoutEnvValuesAndWithItsNewLength() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, INSPECT, REDACTING);

		this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.APPLICATION_JSON, null, Chunks.of(ANSWER, 7))).block();

		MockServerHttpResponse response = exchange.getResponse();
		String expected = "{\"Id\":\"abc\",\"Config\":{\"Env\":[\"PASSWORD=<redacted>\"],"
				+ "\"Labels\":{\"traefik.enable\":\"true\"}}}\n";
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBodyAsString().block()).isEqualTo(expected);
		assertThat(response.getHeaders().getContentLength()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8).length);
		assertThat(response.getHeaders().containsHeader(HttpHeaders.TRANSFER_ENCODING)).isFalse();
		assertThat(GatewayExchange.denial(exchange)).isNull();
	}

	@Test
	void anAnswerOverTheBoundIsReplacedByA502() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, INSPECT, REDACTING);
		String huge = "{\"Config\":{\"Env\":[\"PASSWORD=hunter2\"]},\"Pad\":\""
				+ "x".repeat(RedactEnvFilter.MAX_ANSWER) + "\"}";

		this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.APPLICATION_JSON, null, Chunks.of(huge, 64 * 1024)))
			.block();

		assertRefused(exchange, "response not redacted: answer larger than 4194304 bytes");
	}

	@Test
	void anEncodedAnswerIsReplacedByA502() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/exec/e1/json", REDACTING);

		this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.APPLICATION_JSON, "gzip", Chunks.of(ANSWER, 100)))
			.block();

		assertRefused(exchange, "response not redacted: encoded answer");
		assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.CONTENT_ENCODING)).isFalse();
	}

	@Test
	void anAnswerOfAnotherTypeIsReplacedByA502() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/services/web", REDACTING);

		this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.TEXT_PLAIN, null, Chunks.of(ANSWER, 100))).block();

		assertRefused(exchange, "response not redacted: answer not JSON");
	}

	@Test
	void aMalformedAnswerIsReplacedByA502() {
		MockServerWebExchange exchange = exchange(HttpMethod.GET, "/tasks", REDACTING);

		this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.APPLICATION_JSON, null,
				Chunks.of("[{\"Spec\":{\"ContainerSpec\":{\"Env\":[\"A=secret\"", 100)))
			.block();

		assertRefused(exchange, "response not redacted: malformed JSON answer");
	}

	@Test
	void errorAnswersHeadRequestsOtherPathsAndOtherClientsPassUnchanged() {
		String error = "{\"message\":\"No such container: web\"}\n";
		MockServerWebExchange notFound = exchange(HttpMethod.GET, INSPECT, REDACTING);
		this.filter.filter(notFound, engine(HttpStatus.NOT_FOUND, MediaType.APPLICATION_JSON, null, Chunks.of(error, 5)))
			.block();
		assertThat(notFound.getResponse().getBodyAsString().block()).isEqualTo(error);

		for (MockServerWebExchange exchange : List.of(exchange(HttpMethod.HEAD, INSPECT, REDACTING),
				exchange(HttpMethod.GET, "/v1.47/containers/web/logs", REDACTING),
				exchange(HttpMethod.GET, INSPECT, rules(false)))) {
			this.filter.filter(exchange, engine(HttpStatus.OK, MediaType.TEXT_PLAIN, "gzip", Chunks.of(ANSWER, 5))).block();
			assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo(ANSWER);
		}
	}

	private static void assertRefused(MockServerWebExchange exchange, String reason) {
		MockServerHttpResponse response = exchange.getResponse();
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(response.getBodyAsString().block()).isEqualTo("Bad Gateway: " + reason + "\n")
			.doesNotContain("hunter2", "secret");
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.parseMediaType("text/plain;charset=UTF-8"));
		assertThat(response.getHeaders().containsHeader("Api-Version")).isFalse();
		Denial denial = GatewayExchange.denial(exchange);
		assertThat(denial.kind()).isEqualTo(RefusalReason.RESPONSE_NOT_REDACTED);
	}

	private static MockServerWebExchange exchange(HttpMethod method, String path, ClientRules rules) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
		GatewayExchange.putVerdict(exchange,
				new Admission.Verdict(Admission.Decision.ALLOWED, rules, RequestTarget.parse(path), null));
		return exchange;
	}

	/** The gateway's routing as far as the answer goes: status and headers, then the body written through the response. */
	private static GatewayFilterChain engine(HttpStatus status, MediaType type, String encoding, Flux<DataBuffer> body) {
		return (ServerWebExchange exchange) -> {
			exchange.getResponse().setStatusCode(status);
			HttpHeaders headers = exchange.getResponse().getHeaders();
			headers.setContentType(type);
			headers.set("Api-Version", "1.47");
			headers.set(HttpHeaders.TRANSFER_ENCODING, "chunked");
			if (encoding != null) {
				headers.set(HttpHeaders.CONTENT_ENCODING, encoding);
			}
			return Mono.defer(() -> exchange.getResponse().writeWith(body));
		};
	}

	private static ClientRules rules(boolean redactEnv) {
		return new ClientRules("traefik", MethodRules.compile(Map.of("GET", List.of(".*"))), new BindMountPolicy(List.of()),
				ImagePolicy.NONE, redactEnv, ObjectScope.NONE);
	}

}
