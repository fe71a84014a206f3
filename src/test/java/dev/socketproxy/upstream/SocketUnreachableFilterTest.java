package dev.socketproxy.upstream;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An allowed request the socket cannot take gets a 502 with a plain-text reason; other failures pass on. */
class SocketUnreachableFilterTest {

	private final SocketUnreachableFilter filter = new SocketUnreachableFilter(
			new UpstreamOutageLog(Path.of("/run/test/docker.sock")));

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("/v1.41/version"));

	@Test
	void aSocketThatRefusesTheConnectionIsABadGateway() {
		this.filter.filter(this.exchange, (forwarded) -> Mono.error(new ConnectException("connection refused"))).block();

		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(this.exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.TEXT_PLAIN);
		assertThat(this.exchange.getResponse().getBodyAsString().block()).isEqualTo("Bad Gateway: socket unreachable\n");
	}

	@Test
	void anIoFailureWrappedInAnotherIsFoundByItsCause() {
		this.filter.filter(this.exchange,
				(forwarded) -> Mono.error(new IllegalStateException("forwarding failed", new ClosedChannelException())))
			.block();

		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
	}

	@Test
	void aFailureThatIsNotTheSocketsPassesOn() {
		IllegalStateException bug = new IllegalStateException("not an I/O failure");

		assertThatThrownBy(() -> this.filter.filter(this.exchange, (forwarded) -> Mono.error(bug)).block()).isSameAs(bug);
		assertThat(this.exchange.getResponse().getStatusCode()).isNull();
	}

	@Test
	void onceTheAnswerHasStartedTheFailurePassesOn() {
		assertThatThrownBy(() -> this.filter.filter(this.exchange, (forwarded) -> {
			forwarded.getResponse().setStatusCode(HttpStatus.OK);
			return forwarded.getResponse().setComplete().then(Mono.error(new IOException("connection reset")));
		}).block()).hasRootCauseInstanceOf(IOException.class);

		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
	}

	@Test
	void anAnsweredRequestIsLeftAlone() {
		this.filter.filter(this.exchange, (forwarded) -> {
			forwarded.getResponse().setStatusCode(HttpStatus.OK);
			return Mono.empty();
		}).block();

		assertThat(this.exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.exchange.getResponse().getHeaders().getContentType()).isNull();
	}

}
