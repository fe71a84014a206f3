package dev.socketproxy.scope;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.RefusalReason;

import static dev.socketproxy.scope.ScopedExchanges.OWNED;
import static dev.socketproxy.scope.ScopedExchanges.UNSCOPED;
import static dev.socketproxy.scope.ScopedExchanges.exchange;
import static dev.socketproxy.scope.ScopedExchanges.run;
import static org.assertj.core.api.Assertions.assertThat;

class OwnerLabelFilterTest {

	private final OwnerLabelFilter filter = new OwnerLabelFilter();

	@Test
	void createBodiesGetTheOwnerLabelAndTheirNewLength() {
		for (String path : List.of("/v1.47/containers/create?name=a1", "/networks/create", "/volumes/create")) {
			ScopedExchanges.Forwarded forwarded = run(this.filter, exchange(OWNED, HttpMethod.POST, path, "application/json",
					"{\"Name\":\"x\",\"Labels\":{\"socket-proxy.owner\":\"tenant-b\"}}"));
			String expected = "{\"Name\":\"x\",\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"}}";
			assertThat(forwarded.body()).as(path).isEqualTo(expected);
			assertThat(forwarded.exchange().getRequest().getHeaders().getContentLength()).isEqualTo(expected.length());
			assertThat(forwarded.target()).isEqualTo(path);
		}
	}

	@Test
	void aChunkedBodyIsForwardedWithItsLength() {
		MockServerWebExchange exchange = ScopedExchanges.judged(MockServerWebExchange
			.from(MockServerHttpRequest.post("/volumes/create").header(HttpHeaders.TRANSFER_ENCODING, "chunked")), OWNED,
				"/volumes/create", "");

		ScopedExchanges.Forwarded forwarded = run(this.filter, exchange);
		HttpHeaders headers = forwarded.exchange().getRequest().getHeaders();
		assertThat(forwarded.body()).isEqualTo("{\"Labels\":{\"socket-proxy.owner\":\"tenant-a\"}}");
		assertThat(headers.getContentLength()).isEqualTo(forwarded.body().length());
		assertThat(headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)).isFalse();
	}

	@Test
	void buildsGetTheOwnerInTheirLabelsParameter() {
		String target = run(this.filter, exchange(OWNED, HttpMethod.POST,
				"/v1.47/build?t=app%3A1&labels=%7B%22a%22%3A%221%22%7D&q=1", "application/x-tar", null)).target();

		assertThat(target).startsWith("/v1.47/build?t=app%3A1&q=1&labels=");
		assertThat(URLDecoder.decode(target.substring(target.indexOf("labels=") + 7), StandardCharsets.UTF_8))
			.isEqualTo("{\"a\":\"1\",\"socket-proxy.owner\":\"tenant-a\"}");
	}

	@Test
	void otherRequestsAndUnscopedClientsPassUnchanged() {
		MockServerWebExchange unscoped = exchange(UNSCOPED, HttpMethod.POST, "/containers/create", null, "{}");
		assertThat(run(this.filter, unscoped).exchange()).isSameAs(unscoped);
		String body = "{\"Image\":\"busybox\"}";
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.POST, "/containers/abc/update", null, body)).target())
			.isEqualTo("/containers/abc/update");
		assertThat(run(this.filter, exchange(OWNED, HttpMethod.GET, "/build", null, null)).target()).isEqualTo("/build");
	}

	@Test
	void whatCannotBeLabelledIsRefused() {
		assertRefused(exchange(OWNED, HttpMethod.POST, "/volumes/create", null, "{\"Labels\":{},\"labels\":{}}"),
				RefusalReason.AMBIGUOUS_JSON);
		assertRefused(exchange(OWNED, HttpMethod.POST, "/networks/create", null, "{\"Labels\":[\"a=b\"]}"),
				RefusalReason.MALFORMED_JSON);
		assertRefused(exchange(OWNED, HttpMethod.POST, "/build?labels=%7B%7D&labels=%7B%7D", null, null),
				RefusalReason.AMBIGUOUS_QUERY);
		assertRefused(exchange(OWNED, HttpMethod.POST, "/build?labels=x", null, null), RefusalReason.MALFORMED_JSON);
		assertRefused(exchange(OWNED, HttpMethod.POST, "/build", "application/x-www-form-urlencoded", null),
				RefusalReason.FORM_BODY_NOT_INSPECTED);
		assertRefused(exchange(OWNED, HttpMethod.POST, "/containers/create", null, null), RefusalReason.REQUEST_NOT_CHECKED);
	}

	private void assertRefused(MockServerWebExchange exchange, RefusalReason kind) {
		assertThat(run(this.filter, exchange)).isNull();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(GatewayExchange.denial(exchange).kind()).isEqualTo(kind);
	}

}
