package dev.socketproxy.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Report-only mode through the running proxy: what the rules would refuse is forwarded,
 * logged and counted; who may connect and the request hygiene checks still refuse.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReportOnlyIT {

	private static final String CREATE_BODY = "{\"Image\":\"mini\",\"HostConfig\":{\"Binds\":[\"/etc:/host-etc\"]}}";

	@TempDir
	Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeEach
	void start() {
		this.server = RecordingUnixSocketServer.startRecordingBodies(this.dir.resolve("upstream.sock"),
				(request, response) -> response.sendString(Mono.just(request.method() + " " + request.uri())).then());
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socket(), "-allowGET=/v1\\.[0-9]+/version",
				"-allowPOST=/v1\\.[0-9]+/containers/create", "-allowbindmountfrom=/srv",
				"--socketproxy.report-only=true");
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.server.close();
	}

	@Test
	void whatTheRulesWouldRefuseIsForwardedLoggedAndCounted(CapturedOutput output) {
		assertThat(send(null, "GET /v1.41/version", "")).isEqualTo(200);
		assertThat(send(null, "GET /v1.41/info", "")).isEqualTo(200);
		assertThat(send(null, "DELETE /v1.41/containers/web", "")).isEqualTo(200);
		assertThat(send(null, "POST /v1.41/containers/create", CREATE_BODY)).isEqualTo(200);

		assertThat(this.server.requests()).extracting((r) -> r.method() + " " + r.uri())
			.containsExactly("GET /v1.41/version", "GET /v1.41/info", "DELETE /v1.41/containers/web",
					"POST /v1.41/containers/create");
		assertThat(this.server.requests().get(3).bodyText()).isEqualTo(CREATE_BODY);
		assertThat(output.getOut())
			.containsPattern("would block request \\(report-only\\) method=\"GET\" path=\"/v1.41/info\" client=\"127.0.0.1:[0-9]+\""
					+ " rules=\"default\" reason=\"path not allowed\" status=\"403\"")
			.contains("would block request (report-only) method=\"DELETE\"", "reason=\"method not allowed\" status=\"405\"")
			.contains("reason=\"bind mount restriction: /etc is outside the allowed directories\"")
			.contains("report-only mode: requests the rules refuse are logged and counted, then forwarded")
			.doesNotContain("blocked request");
		MeterRegistry registry = this.proxy.context().getBean(MeterRegistry.class);
		// Counted when the exchange ends, which may be just after the client has its response.
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(registry.find("socketproxy.requests").tag("decision", "reported").counters())
				.filteredOn((counter) -> counter.count() > 0)
				.extracting((counter) -> counter.getId().getTag("reason") + "=" + (long) counter.count())
				.containsExactlyInAnyOrder("path_not_allowed=1", "method_not_allowed=1", "bind_mount_restriction=1");
			assertThat(registry.find("socketproxy.requests").tag("decision", "allowed").counters().stream()
				.mapToDouble(Counter::count)
				.sum()).isEqualTo(1);
		});
	}

	@Test
	void whoMayConnectAndRequestHygieneAreStillEnforced() {
		assertThat(send("127.0.0.2", "GET /v1.41/version", "")).isEqualTo(403);
		assertThat(send(null, "GET /v1.41/../v1.41/info", "")).isEqualTo(400);
		assertThat(send(null, "POST /v1.41/containers/create", "{\"Image\":")).as("an unreadable body is never judged")
			.isEqualTo(400);

		assertThat(this.server.requests()).isEmpty();
	}

	private int send(String from, String requestLine, String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		String head = requestLine + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
				+ bytes.length + "\r\nConnection: close\r\n\r\n";
		return RawHttp.exchangeFrom(from, this.proxy.port(), RawHttp.bytes(head + body), 1, 10_000).get(0).status();
	}

}
