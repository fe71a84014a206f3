package dev.socketproxy.access.body;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

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
import dev.socketproxy.access.RuleEnforcement;

import static org.assertj.core.api.Assertions.assertThat;

class ImageRequestFilterTest {

	private static final ClientRules CI = new ClientRules("ci", MethodRules.compile(Map.of("POST", List.of(".*"))),
			new BindMountPolicy(List.of()),
			ImagePolicy.compile("k", List.of("docker\\.io/library/busybox:[0-9.]+", "registry\\.example/ci/.*"), true),
			false, ObjectScope.NONE);

	private final ImageRequestFilter filter = new ImageRequestFilter(new RuleEnforcement(false));

	@Test
	void allowedPullsImportsAndBuildsAreForwarded() {
		for (String target : List.of("/v1.47/images/create?fromImage=busybox&tag=1.36",
				"/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=1.36",
				"/images/create?fromImage=busybox:1.36", "/images/create?fromSrc=-&repo=registry.example/ci/app&tag=3",
				"/v1.47/build?t=registry.example/ci/app:1&t=busybox:1.0&t=", "/build?dockerfile=Dockerfile",
				"/v1.47/images/json?fromImage=redis")) {
			assertThat(forwarded(exchange(target, null))).as(target).isTrue();
		}
	}

	@Test
	void refusedImagesAre403NamingTheNormalisedImage() {
		assertRefused("/v1.47/images/create?fromImage=redis&tag=7", HttpStatus.FORBIDDEN,
				"image not allowed: docker.io/library/redis:7");
		assertRefused("/images/create?fromImage=busybox&tag=latest", HttpStatus.FORBIDDEN,
				"image not allowed: docker.io/library/busybox:latest (latest or untagged)");
		assertRefused("/images/create?fromImage=busybox", HttpStatus.FORBIDDEN,
				"image not allowed: docker.io/library/busybox (latest or untagged)");
		assertRefused("/images/create?fromImage=&fromSrc=-&repo=redis&tag=7", HttpStatus.FORBIDDEN,
				"image not allowed: docker.io/library/redis:7");
		assertRefused("/images/create?fromSrc=-", HttpStatus.FORBIDDEN, "image not allowed: no image named");
		assertRefused("/build?t=busybox:1.0&t=redis:7", HttpStatus.FORBIDDEN, "image not allowed: docker.io/library/redis:7");
		assertRefused("/build?t=busybox", HttpStatus.FORBIDDEN,
				"image not allowed: docker.io/library/busybox:latest (latest or untagged)");
		assertRefused("/build?t=Bad+Name", HttpStatus.FORBIDDEN, "image not allowed: Bad Name is not a valid image name");
	}

	@Test
	void queriesTheEngineWouldReadOtherwiseAre400() {
		assertRefused("/images/create?fromImage=busybox&tag=1.36&fromImage=redis", HttpStatus.BAD_REQUEST,
				"ambiguous query: fromImage given more than once");
		assertRefused("/images/create?fromImage=busybox&tag=1.36&t%61g=7", HttpStatus.BAD_REQUEST,
				"ambiguous query: tag given more than once");
		assertRefused("/images/create?fromImage=busybox&tag=1.36;fromImage=redis", HttpStatus.BAD_REQUEST,
				"ambiguous query: ';' separator");
	}

	@Test
	void formBodiesAre400() {
		for (String type : List.of("application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded ; charset=utf-8",
				"multipart/form-data; boundary=x")) {
			MockServerWebExchange exchange = exchange("/images/create?fromImage=busybox&tag=1.36", type);
			assertThat(forwarded(exchange)).as(type).isFalse();
			assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
			Denial denial = GatewayExchange.denial(exchange);
			assertThat(denial.kind()).isEqualTo(RefusalReason.FORM_BODY_NOT_INSPECTED);
		}
		assertThat(forwarded(exchange("/build?t=busybox:1.0", "application/x-tar"))).isTrue();
	}

	@Test
	void reportOnlyForwardsRefusedImagesButNotAmbiguousQueries() {
		ImageRequestFilter reportOnly = new ImageRequestFilter(new RuleEnforcement(true));
		MockServerWebExchange refused = exchange("/images/create?fromImage=redis&tag=7", null);
		AtomicBoolean forwarded = new AtomicBoolean();
		reportOnly.filter(refused, chain(forwarded)).block();
		assertThat(forwarded).isTrue();

		MockServerWebExchange ambiguous = exchange("/images/create?fromImage=busybox&fromImage=redis", null);
		AtomicBoolean ambiguousForwarded = new AtomicBoolean();
		reportOnly.filter(ambiguous, chain(ambiguousForwarded)).block();
		assertThat(ambiguousForwarded).isFalse();
	}

	private void assertRefused(String target, HttpStatus status, String reason) {
		MockServerWebExchange exchange = exchange(target, null);
		assertThat(forwarded(exchange)).as(target).isFalse();
		assertThat(exchange.getResponse().getStatusCode()).as(target).isEqualTo(status);
		assertThat(exchange.getResponse().getBodyAsString().block()).as(target)
			.isEqualTo(status.getReasonPhrase() + ": " + reason + "\n");
		Denial denial = GatewayExchange.denial(exchange);
		assertThat(denial.kind()).isNotEqualTo(RefusalReason.OTHER);
	}

	private boolean forwarded(MockServerWebExchange exchange) {
		AtomicBoolean forwarded = new AtomicBoolean();
		this.filter.filter(exchange, chain(forwarded)).block();
		return forwarded.get();
	}

	private static GatewayFilterChain chain(AtomicBoolean forwarded) {
		return (exchange) -> {
			forwarded.set(true);
			return Mono.empty();
		};
	}

	private static MockServerWebExchange exchange(String target, String contentType) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(HttpMethod.POST, target);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		GatewayExchange.putVerdict(exchange,
				new Admission.Verdict(Admission.Decision.ALLOWED, CI, RequestTarget.parse(target), null));
		return exchange;
	}

}
