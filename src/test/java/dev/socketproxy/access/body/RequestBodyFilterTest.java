package dev.socketproxy.access.body;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.Admission;
import dev.socketproxy.access.BindMountPolicy;
import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.JudgedBody;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.RuleEnforcement;
import dev.socketproxy.config.AccessRules;
import dev.socketproxy.config.SocketProxyProperties.ContainerPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body of an inspected endpoint is read, judged, and forwarded as the very bytes that
 * were judged; a body that cannot be judged is refused.
 */
class RequestBodyFilterTest {

	private static final String CREATE = "/v1.41/containers/create";

	private static final String SAFE = "{\"Image\":\"mini\",\"HostConfig\":{\"Binds\":[\"/srv/data:/data\"]}}";

	private static final String ETC = "{\"Image\":\"mini\",\"HostConfig\":{\"Binds\":[\"/etc:/host-etc\"]}}";

	private static final ContainerPolicyChecks NO_CONTAINER_POLICY = new ContainerPolicyChecks(
			new ContainerPolicy(false, false, false, false, List.of(), false, false));

	private static final ClientRules BIND_MOUNTS_IN_SRV = new ClientRules("default",
			MethodRules.compile(Map.of("POST", List.of("/v1\\.[0-9]+/containers/create"))),
			new BindMountPolicy(List.of("/srv")), ImagePolicy.NONE, false, ObjectScope.NONE);

	private final RequestBodyFilter filter = new RequestBodyFilter(NO_CONTAINER_POLICY, new RuleEnforcement(false), 1024);

	private final Forwarded forwarded = new Forwarded();

	@Test
	void anAllowedBodyIsForwardedAsTheBytesThatWereJudged() {
		MockServerWebExchange exchange = judged(CREATE, SAFE, BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).isEqualTo(SAFE);
		assertThat(exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void aBindMountOutsideTheAllowedDirectoriesIsRefused() {
		MockServerWebExchange exchange = judged(CREATE, ETC, BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).as("forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(GatewayExchange.denial(exchange).reason())
			.isEqualTo("bind mount restriction: /etc is outside the allowed directories");
	}

	@Test
	void reportOnlyForwardsTheRefusedBodyAndRecordsTheFinding() {
		RequestBodyFilter reportOnly = new RequestBodyFilter(NO_CONTAINER_POLICY, new RuleEnforcement(true), 1024);
		MockServerWebExchange exchange = judged(CREATE, ETC, BIND_MOUNTS_IN_SRV);

		reportOnly.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).isEqualTo(ETC);
		assertThat(exchange.getResponse().getStatusCode()).isNull();
		assertThat(GatewayExchange.reported(exchange).status())
			.isEqualTo(HttpStatus.FORBIDDEN);
	}

	@Test
	void theContainerPolicyJudgesTheSameBody() {
		RequestBodyFilter policy = new RequestBodyFilter(
				new ContainerPolicyChecks(new ContainerPolicy(true, false, false, false, List.of(), false, false)),
				new RuleEnforcement(false), 1024);
		ClientRules noBindMountRule = new ClientRules("default", BIND_MOUNTS_IN_SRV.rules(), new BindMountPolicy(List.of()),
				ImagePolicy.NONE, false, ObjectScope.NONE);
		MockServerWebExchange exchange = judged(CREATE, "{\"HostConfig\":{\"Privileged\":true}}", noBindMountRule);

		policy.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).as("forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(GatewayExchange.denial(exchange).reason()).startsWith("container policy: ");
	}

	@Test
	void aBodyThatIsNotJsonIsRefused() {
		MockServerWebExchange exchange = judged(CREATE, "{\"Image\":", BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).as("forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
	}

	@Test
	void anEncodedBodyIsRefusedUnread() {
		MockServerWebExchange exchange = judged(
				MockServerHttpRequest.post(CREATE).header("Content-Encoding", "gzip").body(SAFE), BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).as("forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(GatewayExchange.denial(exchange).reason())
			.isEqualTo("encoded body not inspected");
	}

	@Test
	void aDeclaredLengthOverTheLimitIsRefusedUnread() {
		MockServerWebExchange exchange = judged(MockServerHttpRequest.post(CREATE)
			.contentLength(1025)
			.body(Flux.error(new AssertionError("the body was read"))), BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
		assertThat(GatewayExchange.denial(exchange).reason())
			.isEqualTo("body larger than 1024 bytes");
	}

	@Test
	void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead() {
		byte[] chunk = new byte[600];
		MockServerWebExchange exchange = judged(MockServerHttpRequest.post(CREATE)
			.header("Transfer-Encoding", "chunked")
			.body(Flux.just(chunk, chunk).map(DefaultDataBufferFactory.sharedInstance::wrap)), BIND_MOUNTS_IN_SRV);

		this.filter.filter(exchange, this.forwarded).block();

		assertThat(this.forwarded.body.get()).as("forwarded").isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
	}

	@Test
	void anEndpointThatIsNotInspectedPassesUnread() {
		MockServerWebExchange exchange = judged(MockServerHttpRequest.post("/v1.41/containers/web/kill")
			.body(Flux.error(new AssertionError("the body was read"))), BIND_MOUNTS_IN_SRV);
		AtomicReference<Object> passed = new AtomicReference<>();

		this.filter.filter(exchange, (received) -> {
			passed.set(received);
			return Mono.empty();
		}).block();

		assertThat(passed.get()).isSameAs(exchange);
	}

	@Test
	void withoutARestrictionTheBodyPassesUnread() {
		ClientRules unrestricted = new ClientRules("default", BIND_MOUNTS_IN_SRV.rules(), new BindMountPolicy(List.of()),
				ImagePolicy.NONE, false, ObjectScope.NONE);
		MockServerWebExchange exchange = judged(
				MockServerHttpRequest.post(CREATE).body(Flux.error(new AssertionError("the body was read"))), unrestricted);
		AtomicReference<Object> passed = new AtomicReference<>();

		this.filter.filter(exchange, (received) -> {
			passed.set(received);
			return Mono.empty();
		}).block();

		assertThat(passed.get()).isSameAs(exchange);
	}

	@Test
	void anOwnersCreateBodiesAreReadAndHandedOnAsJudged() {
		ClientRules owned = new ClientRules("default", BIND_MOUNTS_IN_SRV.rules(), new BindMountPolicy(List.of()),
				ImagePolicy.NONE, false,
				ObjectScope.compile("k", "socket-proxy", "tenant-a", AccessRules.VisibleContainers.ALL));
		for (String path : List.of(CREATE, "/v1.41/networks/create", "/v1.41/networks/n1/connect")) {
			MockServerWebExchange exchange = judged(path, "{\"Name\":\"n\"}", owned);
			AtomicReference<ServerWebExchange> passed = new AtomicReference<>();

			this.filter.filter(exchange, (received) -> {
				passed.set(received);
				return this.forwarded.filter(received);
			}).block();

			assertThat(this.forwarded.body.get()).as(path).isEqualTo("{\"Name\":\"n\"}");
			JudgedBody body = GatewayExchange.body(passed.get());
			assertThat(body.bytes()).asString().isEqualTo("{\"Name\":\"n\"}");
			assertThat(body.json()).isEqualTo(Map.of("Name", "n"));
		}
	}

	private static MockServerWebExchange judged(String path, String body, ClientRules client) {
		return judged(MockServerHttpRequest.post(path).contentType(MediaType.APPLICATION_JSON).body(body),
				client);
	}

	/** As the access filters leave an allowed request: its client's rules and canonical target known. */
	private static MockServerWebExchange judged(MockServerHttpRequest request, ClientRules client) {
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		GatewayExchange.putVerdict(exchange, new Admission.Verdict(Admission.Decision.ALLOWED, client,
				RequestTarget.parse(request.getURI().getRawPath()), null));
		return exchange;
	}

	/** The rest of the chain: reads the body it was handed, as the routing does. */
	private static final class Forwarded implements GatewayFilterChain {

		private final AtomicReference<String> body = new AtomicReference<>();

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			return DataBufferUtils.join(exchange.getRequest().getBody())
				.map((joined) -> {
					String text = joined.toString(StandardCharsets.UTF_8);
					DataBufferUtils.release(joined);
					return text;
				})
				.defaultIfEmpty("")
				.doOnNext(this.body::set)
				.then();
		}

	}

}
