package dev.socketproxy.scope;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.config.AccessRules.VisibleContainers;
import dev.socketproxy.scope.EngineObject.Kind;
import dev.socketproxy.support.Chunks;

import static org.assertj.core.api.Assertions.assertThat;

/** The list half of visible-containers on mock exchanges: what the client gets of the engine's answer. */
class VisibleContainersFilterTest {

	private static final ObjectScope TRAEFIK = ObjectScope.compile("socketproxy", "socket-proxy", null,
			new VisibleContainers(List.of(), List.of("traefik.enable=true")));

	private static final ObjectScope CI = ObjectScope.compile("socketproxy", "socket-proxy", "ci-1", VisibleContainers.ALL);

	private static final String WEB = "{\"Id\":\"c-web\",\"Names\":[\"/web\"],\"Labels\":{\"traefik.enable\":\"true\"}}";

	private static final String DB = "{\"Id\":\"c-db\",\"Names\":[\"/db\"],\"Labels\":{\"secret\":\"x\"}}";

	private final VisibleContainersFilter filter = new VisibleContainersFilter((kind, reference) -> Mono
		.just(reference.equals("c-web") ? Optional.of(new EngineObject(Kind.CONTAINER, "c-web", List.of("/web"),
				Map.of("traefik.enable", "true"), null)) : Optional.empty()));

	@Test
	void theListHoldsOnlyTheVisibleContainersWithItsNewLength() {
		MockServerWebExchange exchange = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/v1.41/containers/json?all=1", TRAEFIK);
		this.filter.filter(exchange, engine(MediaType.APPLICATION_JSON, Chunks.of("[" + DB + "," + WEB + "]\n", 7))).block();

		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("[" + WEB + "]\n");
		assertThat(exchange.getResponse().getHeaders().getContentLength()).isEqualTo(WEB.length() + 3);
	}

	@Test
	void aListOverTheBoundIsA502WithNothingOfIt() {
		MockServerWebExchange exchange = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/containers/json", TRAEFIK);
		String huge = "[" + DB + ",{\"Names\":[\"/web\"],\"Labels\":{\"traefik.enable\":\"true\"},\"Pad\":\""
				+ "x".repeat(VisibleContainersFilter.MAX_ANSWER) + "\"}]";
		this.filter.filter(exchange, engine(MediaType.APPLICATION_JSON, Chunks.of(huge, 64 * 1024))).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(exchange.getResponse().getBodyAsString().block())
			.isEqualTo("Bad Gateway: response not filtered: answer larger than " + VisibleContainersFilter.MAX_ANSWER + " bytes\n");
		assertThat(GatewayExchange.denial(exchange).kind()).isEqualTo(RefusalReason.RESPONSE_NOT_FILTERED);
	}

	@Test
	void theEventStreamLosesTheLinesOfHiddenContainersHoweverTheChunksFall() {
		String web = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c-web\",\"Attributes\":"
				+ "{\"name\":\"web\",\"traefik.enable\":\"true\"}}}";
		String db = "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c-db\",\"Attributes\":{\"name\":\"db\"}}}";
		String dbNet = "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n\",\"Attributes\":{\"container\":\"c-db\"}}}";
		String webNet = "{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n\",\"Attributes\":{\"container\":\"c-web\"}}}";
		String image = "{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"nginx\",\"Attributes\":{}}}";
		MockServerWebExchange exchange = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/v1.41/events?since=1", TRAEFIK);
		String stream = String.join("\n", db, web, dbNet, webNet, image) + "\n";
		this.filter.filter(exchange, engine(MediaType.APPLICATION_JSON, Chunks.of(stream, 5))).block();

		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo(String.join("\n", web, webNet, image) + "\n");

		MockServerWebExchange sized = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/v1.41/events?since=1", TRAEFIK);
		this.filter.filter(sized, (ServerWebExchange e) -> {
			e.getResponse().setStatusCode(HttpStatus.OK);
			e.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
			e.getResponse().getHeaders().setContentLength(stream.length());
			return Mono.defer(() -> e.getResponse().writeWith(Chunks.of(stream, 1000)));
		}).block();
		assertThat(sized.getResponse().getBodyAsString().block()).isEqualTo(String.join("\n", web, webNet, image) + "\n");
		assertThat(sized.getResponse().getHeaders().getContentLength()).as("the engine's length is not the stream's").isEqualTo(-1);
		assertThat(sized.getResponse().getHeaders().getFirst(HttpHeaders.TRANSFER_ENCODING)).isEqualTo("chunked");
	}

	@Test
	void anEventStreamThatCannotBeReadIsA502() {
		MockServerWebExchange exchange = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/events", TRAEFIK);
		this.filter.filter(exchange, engine(MediaType.TEXT_PLAIN, Chunks.of("{\"Type\":\"container\"}\n", 4))).block();

		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("Bad Gateway: response not filtered: answer not JSON\n");
	}

	@Test
	void thePruneIsRefusedAndAnOwnerAloneFiltersNothing() {
		MockServerWebExchange prune = ObjectScopeFilterTest.exchange(HttpMethod.POST, "/v1.41/containers/prune", TRAEFIK);
		AtomicBoolean forwarded = new AtomicBoolean();
		this.filter.filter(prune, (exchange) -> {
			forwarded.set(true);
			return Mono.empty();
		}).block();
		assertThat(forwarded).isFalse();
		assertThat(prune.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(GatewayExchange.denial(prune).kind()).isEqualTo(RefusalReason.NOT_VISIBLE);

		MockServerWebExchange owner = ObjectScopeFilterTest.exchange(HttpMethod.GET, "/containers/json", CI);
		this.filter.filter(owner, engine(MediaType.APPLICATION_JSON, Chunks.of("[" + DB + "]", 4))).block();
		assertThat(owner.getResponse().getBodyAsString().block()).isEqualTo("[" + DB + "]");
	}

	/** The gateway's routing as far as the answer goes: status and headers, then the body written through the response. */
	private static GatewayFilterChain engine(MediaType type, Flux<DataBuffer> body) {
		return (ServerWebExchange exchange) -> {
			exchange.getResponse().setStatusCode(HttpStatus.OK);
			exchange.getResponse().getHeaders().setContentType(type);
			exchange.getResponse().getHeaders().set(HttpHeaders.TRANSFER_ENCODING, "chunked");
			return Mono.defer(() -> exchange.getResponse().writeWith(body));
		};
	}

}
