package dev.socketproxy.upstream;

import java.util.Set;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;

import static org.assertj.core.api.Assertions.assertThat;

class HopByHopHeadersTest {

	@Test
	void removesTheGatewaysListButKeepsTheFraming() {
		HopByHopHeaders hopByHop = new HopByHopHeaders(new RemoveHopByHopHeadersFilter());
		HttpHeaders headers = new DefaultHttpHeaders().add("Keep-Alive", "timeout=5")
			.add("Proxy-Authorization", "Basic eA==")
			.add("Upgrade", "h2c")
			.add("Transfer-Encoding", "chunked")
			.add("Content-Type", "application/json");

		hopByHop.removeFromResponse(headers);

		assertThat(headers.names()).containsExactlyInAnyOrder("Transfer-Encoding", "Content-Type");
	}

	@Test
	void followsTheGatewaysRemoveHopByHopHeadersSetting() {
		RemoveHopByHopHeadersFilter gateway = new RemoveHopByHopHeadersFilter();
		gateway.setHeaders(Set.of("x-internal"));
		HopByHopHeaders hopByHop = new HopByHopHeaders(gateway);
		HttpHeaders headers = new DefaultHttpHeaders().add("X-Internal", "1").add("Keep-Alive", "timeout=5");

		hopByHop.removeFromRequest(headers);

		assertThat(headers.names()).containsExactly("Keep-Alive");
	}

	@Test
	void aRequestLosesTheHeadersItsConnectionHeaderNamesAndMadeUpProxyHeaders() {
		HopByHopHeaders hopByHop = new HopByHopHeaders(new RemoveHopByHopHeadersFilter());
		HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "X-Trace, Host, Content-Length")
			.add("X-Trace", "1")
			.add("Host", "docker")
			.add("Content-Length", "0")
			.add("Forwarded", "for=1.2.3.4")
			.add("X-Forwarded-For", "1.2.3.4");

		hopByHop.removeFromRequest(headers);

		assertThat(headers.names()).containsExactlyInAnyOrder("Host", "Content-Length");
	}

}
