package dev.socketproxy.scope;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RefusalReason;

import static dev.socketproxy.scope.ScopedExchanges.OWNED;
import static dev.socketproxy.scope.ScopedExchanges.UNSCOPED;
import static dev.socketproxy.scope.ScopedExchanges.exchange;
import static dev.socketproxy.scope.ScopedExchanges.run;
import static org.assertj.core.api.Assertions.assertThat;

class OwnerFilterQueryTest {

	private static final String OWNER_ONLY = "filters=%7B%22label%22%3A%7B%22socket-proxy.owner%3Dtenant-a%22%3Atrue%7D%7D";

	private final OwnerFilterQuery filter = new OwnerFilterQuery();

	@Test
	void listsPrunesAndEventsGetTheOwnerFilter() {
		for (String path : List.of("/containers/json", "/v1.47/networks", "/volumes", "/v1.41/images/json", "/events")) {
			assertThat(forwarded(HttpMethod.GET, path)).as(path).isEqualTo(path + "?" + OWNER_ONLY);
		}
		for (String path : List.of("/v1.47/containers/prune", "/networks/prune", "/volumes/prune", "/images/prune")) {
			assertThat(forwarded(HttpMethod.POST, path)).as(path).isEqualTo(path + "?" + OWNER_ONLY);
		}
	}

	@Test
	void theClientsFiltersAndOtherParametersStay() {
		String target = forwarded(HttpMethod.GET,
				"/v1.47/containers/json?all=1&filters=%7B%22status%22%3A%5B%22running%22%5D%7D&size=true");

		assertThat(target).startsWith("/v1.47/containers/json?all=1&size=true&filters=");
		assertThat(URLDecoder.decode(target.substring(target.indexOf("filters=") + 8), StandardCharsets.UTF_8))
			.isEqualTo("{\"status\":[\"running\"],\"label\":[\"socket-proxy.owner=tenant-a\"]}");
	}

	@Test
	void otherRequestsAndUnscopedClientsPassUnchanged() {
		for (String path : List.of("/containers/abc/json", "/networks/create", "/volumes/x", "/images/prune/x",
				"/version")) {
			assertThat(forwarded(HttpMethod.GET, path)).as(path).isEqualTo(path);
		}
		assertThat(forwarded(HttpMethod.POST, "/containers/json")).isEqualTo("/containers/json");
		ScopedExchanges.Forwarded unscoped = run(this.filter,
				exchange(UNSCOPED, HttpMethod.GET, "/containers/json?filters=%7B%7D", null, null));
		assertThat(unscoped.target()).isEqualTo("/containers/json?filters=%7B%7D");
	}

	@Test
	void ambiguousOrMalformedFiltersAreRefused() {
		assertRefused(HttpMethod.GET, "/containers/json?filters=%7B%7D&filters=%7B%7D", null,
				"ambiguous query: filters given more than once", RefusalReason.AMBIGUOUS_QUERY);
		assertRefused(HttpMethod.GET, "/containers/json?%66ilters=%7B%7D&filters=%7B%7D", null,
				"ambiguous query: filters given more than once", RefusalReason.AMBIGUOUS_QUERY);
		assertRefused(HttpMethod.GET, "/volumes?filters=dangling", null, null, RefusalReason.MALFORMED_JSON);
		assertRefused(HttpMethod.GET, "/volumes?filters=%7B%22label%22%3A%22x%22%7D", null, null,
				RefusalReason.MALFORMED_JSON);
		assertRefused(HttpMethod.POST, "/containers/prune", "application/x-www-form-urlencoded",
				"form body not inspected: the engine would read its fields before the query",
				RefusalReason.FORM_BODY_NOT_INSPECTED);
		assertRefused(HttpMethod.POST, "/volumes/prune", "multipart/form-data; boundary=x", null,
				RefusalReason.FORM_BODY_NOT_INSPECTED);
	}

	private String forwarded(HttpMethod method, String target) {
		ScopedExchanges.Forwarded forwarded = run(this.filter, exchange(OWNED, method, target, null, null));
		assertThat(forwarded).as(target).isNotNull();
		return forwarded.target();
	}

	private void assertRefused(HttpMethod method, String target, String contentType, String reason, RefusalReason kind) {
		MockServerWebExchange exchange = exchange(OWNED, method, target, contentType, null);
		assertThat(run(this.filter, exchange)).as(target).isNull();
		assertThat(exchange.getResponse().getStatusCode()).as(target).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(GatewayExchange.denial(exchange).kind()).as(target).isEqualTo(kind);
		if (reason != null) {
			assertThat(GatewayExchange.denial(exchange).reason()).isEqualTo(reason);
		}
	}

}
