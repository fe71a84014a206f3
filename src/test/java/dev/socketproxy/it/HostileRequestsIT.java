package dev.socketproxy.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.socketproxy.support.JudgedOnly;
import dev.socketproxy.support.ProxyProcess;
import dev.socketproxy.support.RawHttp;
import dev.socketproxy.support.RecordingUnixSocketServer;
import dev.socketproxy.support.RunningProxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A corpus of hostile requests written byte for byte to a raw TCP socket. Each case
 * states the status the client must get and exactly what the Unix-socket server may
 * receive (for refusals: nothing); after each case the proxy must still serve a normal
 * request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class HostileRequestsIT {

	@RegisterExtension
	static final JudgedOnly judgedOnly = new JudgedOnly();

	private static final String OK_TARGET = "/v1.41/version";

	/** The longest log entry a client can cause, apart from a stack trace's frames. */
	private static final int MAX_LOG_ENTRY = 1024;

	private static final Pattern ENTRY_START = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T");

	/** A refusal names its status and, where the proxy's own checks refused, the reason. */
	private static final String REFUSAL_BODY = "(Bad Request|Forbidden|Method Not Allowed|Content Too Large|Expectation Failed"
			+ "|Request Header Fields Too Large)(: .+)?\n";

	private Path dir;

	private RecordingUnixSocketServer server;

	private RunningProxy proxy;

	@BeforeAll
	void start() throws Exception {
		this.dir = Files.createTempDirectory("hostile");
		this.server = RecordingUnixSocketServer.startRecordingBodies(this.dir.resolve("upstream.sock"),
				(request, response) -> response.sendString(Mono.just(request.method() + " " + request.uri())).then());
		this.proxy = RunningProxy.start("-socketpath=" + this.server.socket(), "-allowHEAD=/_ping",
				"-allowGET=/_ping|/v1\\.41/(version|containers/[^/]+/json)",
				"-allowPOST=/v1\\.41/(containers/create|containers/[^/]+/(start|exec|wait)|services/create|volumes/create|images/load)",
				"-allowbindmountfrom=/srv/allowed,/home/shared/", "--socketproxy.limits.max-inspected-body=64KB",
				"--socketproxy.limits.body-read-timeout=2s",
				"--socketproxy.limits.max-request-line=2KB", "--socketproxy.limits.max-header-size=4KB",
				"--socketproxy.container-policy.refuse-privileged=true",
				"--socketproxy.container-policy.refuse-host-namespaces=true",
				"--socketproxy.container-policy.refuse-devices=true",
				"--socketproxy.container-policy.restrict-capabilities=true",
				"--socketproxy.container-policy.allowed-capabilities=NET_BIND_SERVICE,CAP_CHOWN",
				"--socketproxy.container-policy.refuse-unconfined=true",
				"--socketproxy.container-policy.refuse-start-host-config=true");
	}

	@AfterAll
	void stop() throws Exception {
		this.proxy.close();
		this.server.close();
		Files.deleteIfExists(this.dir);
	}

	static Stream<Case> corpus() {
		List<Case> cases = new ArrayList<>();
		// Canonical path: refused, never repaired.
		for (String target : List.of("/v1.41/containers/../version", "/v1.41/containers/./abc/json",
				"/v1.41/containers/%2e%2e/version", "/v1.41/containers/%2E%2E/version", "/v1.41/containers/.%2e/version",
				"/v1.41/%2e/version", "/v1.41/containers/abc%2Fjson", "/v1.41/containers/abc%2fjson",
				"/v1.41/containers/abc%5Cjson", "//v1.41/version", "/v1.41//version", "/v1.41/version/",
				"/v1.41/version%00", "/v1.41/version%0d%0aX-Injected:%201", "/v1.41/version%7f", "/v1.41/version%zz",
				"/v1.41/version%2", "/v1.41/version%", "/v1.41/containers/%c0%ae%c0%ae/json", "/v1.41/version%ff",
				"/v1.41/version#fragment", "/v1.41/version?all=1#fragment", "/v1.41/containers/abc/json?x=%zz",
				"/v1.41/containers/abc/json?x=%0", "http://127.0.0.1/v1.41/version", "http://evil.example/v1.41/version",
				"v1.41/version")) {
			cases.add(Case.refused("target " + target, get(target), 400));
		}
		cases.add(Case.refused("asterisk-form", bytes("OPTIONS * HTTP/1.1\r\nHost: proxy\r\n\r\n"), 400));
		cases.add(Case.refused("authority-form", bytes("CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: proxy\r\n\r\n"), 400));
		cases.add(Case.refused("raw backslash", get("/v1.41/containers/a\\..\\version"), 400));
		cases.add(Case.refused("raw tab in target", get("/v1.41/ver\tsion"), 400));
		cases.add(Case.refused("raw space in target", get("/v1.41/ver sion"), 400));
		cases.add(Case.refused("raw non-ASCII in target", get("/v1.41/containers/\u00e9/json"), 400));
		cases.add(Case.refused("raw quote in query", get("/v1.41/containers/a/json?filters={\"a\":1}"), 400));
		cases.add(Case.refused("semicolon dot segment is a plain segment", get("/v1.41/containers/..;/version"), 403));
		// Canonical targets pass and reach the socket byte for byte.
		for (String target : List.of(OK_TARGET, "/v1.41/containers/web%20one/json", "/v1.41/containers/%41bc/json",
				"/v1.41/containers/a:b@c!$&'()*+,;=/json", "/v1.41/containers/%C3%A9/json",
				"/v1.41/containers/abc/json?size=1&x=%2F..%2F&y=a/b?c", "/_ping")) {
			cases.add(Case.forwarded("canonical " + target, get(target), 200, "GET " + target));
		}
		// Methods are case-sensitive; overrides never change the judged method.
		cases.add(Case.refused("lower-case get", bytes("get " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n\r\n"), 405));
		cases.add(Case.refused("mixed-case Get", bytes("Get " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n\r\n"), 405));
		cases.add(Case.refused("unknown method", bytes("FOO " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n\r\n"), 405));
		cases.add(Case.refused("DELETE without rule", bytes("DELETE " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n\r\n"), 405));
		for (String header : List.of("X-HTTP-Method-Override: DELETE", "X-HTTP-Method: DELETE", "X-Method-Override: DELETE",
				"x-http-method-override: GET")) {
			cases.add(Case.refused("override " + header,
					bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n" + header + "\r\n\r\n"), 400));
		}
		// Message framing: nothing two parsers could read differently.
		String create = "POST /v1.41/containers/create HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\n";
		cases.add(Case.refused("Content-Length and chunked", bytes(create
				+ "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400));
		cases.add(Case.refused("chunked and Content-Length", bytes(create
				+ "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400));
		cases.add(Case.refused("duplicate equal Content-Length",
				bytes(create + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"), 400));
		cases.add(Case.refused("duplicate different Content-Length",
				bytes(create + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}"), 400));
		cases.add(Case.refused("Content-Length list", bytes(create + "Content-Length: 2, 2\r\n\r\n{}"), 400));
		cases.add(Case.refused("Content-Length not a number", bytes(create + "Content-Length: abc\r\n\r\n{}"), 400));
		cases.add(Case.refused("Content-Length negative", bytes(create + "Content-Length: -1\r\n\r\n{}"), 400));
		cases.add(Case.refused("Content-Length with plus", bytes(create + "Content-Length: +2\r\n\r\n{}"), 400));
		for (String encoding : List.of("gzip, chunked", "xchunked", "chunked, identity", "identity", "chunked\r\nTransfer-Encoding: chunked")) {
			cases.add(Case.refused("Transfer-Encoding " + encoding.replace("\r\n", " | "),
					bytes(create + "Transfer-Encoding: " + encoding + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400));
		}
		cases.add(Case.refused("space before colon",
				bytes(create + "Transfer-Encoding : chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400));
		cases.add(Case.refused("invalid chunk size", bytes(create + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
				400));
		cases.add(Case.refused("header name with space",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nBad Header: x\r\n\r\n"), 400));
		cases.add(Case.refused("NUL in header value",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nX-A: a\u0000b\r\n\r\n"), 400));
		cases.add(Case.forwarded("obsolete line folding is replaced by a space (RFC 9112 5.2)",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nX-A: a\r\n b\r\n\r\n"), 200, "GET " + OK_TARGET));
		cases.add(Case.refused("folded Transfer-Encoding",
				bytes(create + "Transfer-Encoding: chunked\r\n identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n"), 400));
		cases.add(Case.refused("folded Content-Length", bytes(create + "Content-Length: 2\r\n 0\r\n\r\n{}"), 400));
		cases.add(Case.refused("two Host headers", bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400));
		cases.add(Case.refused("no Host in HTTP/1.1", bytes("GET " + OK_TARGET + " HTTP/1.1\r\n\r\n"), 400));
		cases.add(Case.refused("Host with a path", bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: a/b\r\n\r\n"), 400));
		cases.add(Case.refused("Host with a query", bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: a?b\r\n\r\n"), 400));
		// Protocol versions and HTTP/2 attempts.
		cases.add(Case.refused("HTTP/1.0 without Host", bytes("GET " + OK_TARGET + " HTTP/1.0\r\n\r\n"), 400));
		cases.add(Case.forwarded("HTTP/1.0 with Host", bytes("GET " + OK_TARGET + " HTTP/1.0\r\nHost: proxy\r\n\r\n"), 200,
				"GET " + OK_TARGET));
		cases.add(Case.refused("HTTP/2.0 request line", bytes("GET " + OK_TARGET + " HTTP/2.0\r\nHost: proxy\r\n\r\n"), 400));
		cases.add(Case.refused("HTTP/0.9", bytes("GET " + OK_TARGET + "\r\n\r\n"), 400));
		cases.add(Case.refused("garbage version", bytes("GET " + OK_TARGET + " HTXP/1.1\r\nHost: proxy\r\n\r\n"), 400));
		cases.add(Case.refused("h2c prior knowledge", bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 400));
		// Expect.
		cases.add(Case.forwarded("Expect 100-continue on an allowed request",
				bytes(create + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}"), 200,
				"POST /v1.41/containers/create"));
		cases.add(Case.refused("Expect 100-continue on a refused path",
				bytes("POST /v1.41/secrets/create HTTP/1.1\r\nHost: proxy\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}"),
				403));
		cases.add(Case.refused("unknown Expect", bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nExpect: magic\r\n\r\n"),
				417));
		// Sizes.
		// The limits configured for this proxy (2KB line, 4KB head) are below Spring Boot's own
		// defaults (4KB, 8KB): these prove that socketproxy.limits is what the decoder applies.
		String longTarget = "/v1.41/containers/" + "a".repeat(1500) + "/json";
		cases.add(Case.forwarded("request line within the limit", get(longTarget), 200, "GET " + longTarget));
		cases.add(Case.refused("request line over the configured limit", get("/v1.41/containers/" + "a".repeat(3000) + "/json"),
				414));
		cases.add(Case.forwarded("head within the limit",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nX-Registry-Auth: " + "a".repeat(3000) + "\r\n\r\n"),
				200, "GET " + OK_TARGET));
		cases.add(Case.refused("head over the configured limit",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nX-Registry-Auth: " + "a".repeat(6000) + "\r\n\r\n"),
				431));
		cases.add(Case.refused("request line over the limit", get("/v1.41/containers/" + "a".repeat(9000) + "/json"), 414));
		cases.add(Case.refused("one header over the limit",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\nX-Big: " + "a".repeat(17000) + "\r\n\r\n"), 431));
		cases.add(Case.refused("head over the limit", bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n"
				+ ("X-Many: " + "a".repeat(1000) + "\r\n").repeat(20) + "\r\n"), 431));
		cases.add(Case.refused("too many header fields",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n" + "X-A: 1\r\n".repeat(150) + "\r\n"), 431));
		// Two requests on one connection: each judged on its own, the hidden one never forwarded.
		cases.add(new Case("pipelined allowed then dot segment",
				bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n\r\nGET /v1.41/containers/../secrets HTTP/1.1\r\nHost: proxy\r\n\r\n"),
				List.of(200, 400), List.of("GET " + OK_TARGET)));
		cases.add(new Case("request smuggled after Content-Length 0",
				bytes(create + "Content-Length: 0\r\n\r\nGET /v1.41/secrets HTTP/1.1\r\nHost: proxy\r\n\r\n"), List.of(200, 403),
				List.of("POST /v1.41/containers/create")));
		cases.add(new Case("request smuggled after the last chunk",
				bytes(create + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /v1.41/secrets HTTP/1.1\r\nHost: proxy\r\n\r\n"),
				List.of(200, 403), List.of("POST /v1.41/containers/create")));
		bodyCases(cases);
		return cases.stream();
	}

	/** Bodies of container, service and volume requests: judged as the engine's decoder reads them. */
	private static void bodyCases(List<Case> cases) {
		String create = "/v1.41/containers/create";
		for (String json : List.of("{\"Image\":\"mini\"}", "{\"HostConfig\":{\"Binds\":[\"/srv/allowed/data:/x:ro\"]}}",
				"{\"HostConfig\":{\"Binds\":[\"/home/shared:/x\",\"named:/y\",\"/anonymous\"]}}",
				"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/srv/allowed/./a/\",\"Target\":\"/x\"}]}}",
				"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\"}]}}",
				"{\"HostConfig\":{\"Privileged\":false,\"NetworkMode\":\"bridge\",\"PidMode\":\"container:abc\"}}",
				"{\"HostConfig\":{\"CapAdd\":[\"NET_BIND_SERVICE\",\"chown\"],\"SecurityOpt\":[\"no-new-privileges\",\"apparmor=docker-default\"]}}",
				"{\"Image\":\"caf\\u00e9\",\"Labels\":{\"a\":\"1\",\"A\":\"2\"}}")) {
			cases.add(Case.forwardedBody("allowed body " + json, post(create, json), 200, "POST " + create, json));
		}
		for (String json : List.of("{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}",
				"{\"HostConfig\":{\"Binds\":[\"/srv/allowed/../../etc:/x\"]}}",
				"{\"HostConfig\":{\"Binds\":[\"/srv/allowedx:/x\"]}}",
				"{\"HostConfig\":{\"Binds\":[\"//srv/allowed/../../:/x\"]}}",
				"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/etc\",\"Target\":\"/x\"}]}}",
				"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"BIND\",\"Source\":\"/etc\",\"Target\":\"/x\"}]}}",
				"{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"none\",\"o\":\"rbind,ro\",\"device\":\"/etc\"}}}}]}}",
				"{\"HostConfig\":{\"VolumesFrom\":[\"other\"]}}", "{\"Binds\":[\"/etc:/x\"]}",
				"{\"hostconfig\":{\"binds\":[\"/etc:/x\"]}}", "{\"HostConfig\":{\"B\\u0069nds\":[\"/etc:/x\"]}}",
				"{\"HostConfig\":{\"Bind\\u017f\":[\"/etc:/x\"]}}", "{\"HostConfig\":{\"Privileged\":true}}",
				"{\"Privileged\":true}", "{\"HostConfig\":{\"PRIVILEGED\":true}}", "{\"HostConfig\":{\"NetworkMode\":\"host\"}}",
				"{\"HostConfig\":{\"PidMode\":\"host\"}}", "{\"HostConfig\":{\"IpcMode\":\"host\"}}",
				"{\"HostConfig\":{\"UTSMode\":\"host\"}}", "{\"HostConfig\":{\"UsernsMode\":\"host\"}}",
				"{\"HostConfig\":{\"CapAdd\":[\"SYS_ADMIN\"]}}", "{\"HostConfig\":{\"CapAdd\":[\"cap_sys_admin\"]}}",
				"{\"HostConfig\":{\"CapAdd\":[\"ALL\"]}}", "{\"HostConfig\":{\"Capabilities\":[\"CAP_SYS_ADMIN\"]}}",
				"{\"HostConfig\":{\"Devices\":[{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/sda\",\"CgroupPermissions\":\"rwm\"}]}}",
				"{\"HostConfig\":{\"DeviceCgroupRules\":[\"b *:* rwm\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"seccomp=unconfined\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"seccomp:unconfined\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_ALLOW\\\"}\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"apparmor=unconfined\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"label=disable\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"label:disable\"]}}",
				"{\"HostConfig\":{\"SecurityOpt\":[\"systempaths=unconfined\"]}}")) {
			cases.add(Case.refused("refused body " + json, post(create, json), 403));
		}
		for (String json : List.of("{\"HostConfig\":{\"Binds\":[\"/srv/allowed:/x\"],\"binds\":[\"/etc:/x\"]}}",
				"{\"Image\":\"a\",\"Image\":\"b\"}", "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]", "[\"/etc:/x\"]",
				"{\"Image\":\"a\"}{\"HostConfig\":{\"Privileged\":true}}", "{\"HostConfig\":{\"Binds\":\"/etc:/x\"}}",
				"{\"HostConfig\":{\"Privileged\":true,}}", "{'HostConfig':{}}", "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}} // x")) {
			cases.add(Case.refused("malformed or ambiguous body " + json, post(create, json), 400));
		}
		cases.add(Case.refused("start with a HostConfig body",
				post("/v1.41/containers/abc/start", "{\"Binds\":[\"/srv/allowed:/x\"]}"), 403));
		cases.add(Case.refused("old API start with a privileged body",
				post("/v1.41/containers/abc/start", "{\"Privileged\":true}"), 403));
		cases.add(Case.forwarded("start without a body",
				bytes("POST /v1.41/containers/abc/start HTTP/1.1\r\nHost: proxy\r\nContent-Length: 0\r\n\r\n"), 200,
				"POST /v1.41/containers/abc/start"));
		cases.add(Case.forwarded("start with an empty object", post("/v1.41/containers/abc/start", "{}"), 200,
				"POST /v1.41/containers/abc/start"));
		cases.add(Case.refused("privileged exec", post("/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"Privileged\":true}"),
				403));
		cases.add(Case.forwarded("ordinary exec", post("/v1.41/containers/abc/exec", "{\"Cmd\":[\"sh\"],\"Privileged\":false}"),
				200, "POST /v1.41/containers/abc/exec"));
		cases.add(Case.refused("service mount outside", post("/v1.41/services/create",
				"{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"mini\",\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/x\"}]}}}"),
				403));
		cases.add(Case.refused("service capability", post("/v1.41/services/create",
				"{\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"mini\",\"CapabilityAdd\":[\"CAP_SYS_ADMIN\"]}}}"), 403));
		cases.add(Case.refused("volume binding a host directory", post("/v1.41/volumes/create",
				"{\"Name\":\"v\",\"Driver\":\"local\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}"), 403));
		String allowedVolume = "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/srv/allowed/v\"}}";
		cases.add(Case.forwardedBody("volume binding an allowed directory", post("/v1.41/volumes/create", allowedVolume), 200,
				"POST /v1.41/volumes/create", allowedVolume));
		String padding = "{\"Image\":\"mini\",\"Labels\":{\"pad\":\"" + "a".repeat(70 * 1024) + "\"}}";
		cases.add(Case.refused("body over the inspection limit", post(create, padding), 413));
		cases.add(Case.refused("chunked body over the inspection limit",
				bytes("POST " + create + " HTTP/1.1\r\nHost: proxy\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ Integer.toHexString(padding.length()) + "\r\n" + padding + "\r\n0\r\n\r\n"),
				413));
		cases.add(Case.refused("compressed body", bytes("POST " + create
				+ " HTTP/1.1\r\nHost: proxy\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}"), 400));
	}

	private static byte[] post(String target, String json) {
		return bytes("POST " + target + " HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nContent-Length: "
				+ json.length() + "\r\n\r\n" + json);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("corpus")
	void answersExactlyAndForwardsOnlyWhatWasJudged(Case hostile) {
		this.server.clear();

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(), hostile.request(),
				hostile.statuses().size(), 5000);

		assertThat(responses).extracting(RawHttp.Response::status).as("statuses").isEqualTo(hostile.statuses());
		for (RawHttp.Response response : responses) {
			if (response.status() >= 400 && !response.body().isEmpty() || response.status() == 403 || response.status() == 405
					|| response.status() == 413 || response.status() == 417) {
				assertThat(response.body()).as("refusal body").matches(REFUSAL_BODY);
			}
		}
		assertThat(this.server.requests()).extracting((recorded) -> recorded.method() + " " + recorded.uri())
			.as("what reached the socket")
			.isEqualTo(hostile.forwarded());
		if (hostile.forwardedBody() != null) {
			assertThat(this.server.requests().get(0).bodyText()).as("body that reached the socket")
				.isEqualTo(hostile.forwardedBody());
		}
		this.server.clear();
		assertThat(RawHttp.exchange(this.proxy.port(), get(OK_TARGET), 1, 5000)).extracting(RawHttp.Response::status)
			.as("the proxy still serves")
			.containsExactly(200);
	}

	static Stream<Arguments> brokenChunkedBodies() {
		return Stream.of("/v1.41/containers/create", "/v1.41/images/load", "/v1.41/containers/abc/wait")
			.flatMap((target) -> BROKEN_CHUNKS.stream().map((broken) -> Arguments.of(target, broken)));
	}

	/** What follows a good first chunk: chunk sizes Go's reader refuses too, an overflow, LF-only line ends. */
	private static final List<String> BROKEN_CHUNKS = List.of("zz\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n",
			"2;\u0000\r\n{}\r\n0\r\n\r\n", "0x2\r\n{}\r\n0\r\n\r\n", "-2\r\n{}\r\n0\r\n\r\n", "+2\r\n{}\r\n0\r\n\r\n",
			"1" + "0".repeat(16) + "\r\n{}\r\n0\r\n\r\n", "2\n{}\n0\n\n");

	/**
	 * Reactor Netty ends a body it cannot decode where the damage starts. An inspected body
	 * ({@code containers/create}) was judged short and forwarded after the 400; a streamed
	 * one ({@code images/load}, {@code containers/{id}/wait}) failed in the gateway with a
	 * 500, later with a 400 and a WARN with a stack trace from the gateway's HTTP client.
	 * Either way the socket must never get the request whole, or the engine would act on a
	 * body cut short, and the only log line is the access line.
	 */
	@ParameterizedTest(name = "{0}, after the first chunk {1}")
	@MethodSource("brokenChunkedBodies")
	void aBodyTheDecoderCannotReadIsRefusedAndNeverReachesTheSocketWhole(String target, String broken,
			CapturedOutput output) {
		this.server.clear();

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(),
				bytes("POST " + target + " HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n" + broken),
				1, 5000);

		assertThat(responses).singleElement().satisfies((response) -> {
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.body()).startsWith("Bad Request: malformed body: ");
		});
		assertNothingWholeAtTheSocket();
		assertOnlyTheAccessLine(output, "reason=\"malformed body: ", "status=\"400\"");
		assertStillServes();
	}

	/**
	 * A body that stops arriving: 408 after {@code limits.body-read-timeout} (2s here),
	 * inspected or streamed. It was a 500 after the timeout, with an ERROR and the HTTP
	 * client's WARN, both with stack traces.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/v1.41/containers/create", "/v1.41/images/load", "/v1.41/containers/abc/wait" })
	void aBodyThatStopsArrivingGets408AfterTheBodyReadTimeout(String target, CapturedOutput output) {
		this.server.clear();
		long start = System.nanoTime();

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(), bytes("POST " + target
				+ " HTTP/1.1\r\nHost: proxy\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"), 1,
				10000);

		assertThat(responses).singleElement().satisfies((response) -> {
			assertThat(response.status()).isEqualTo(408);
			assertThat(response.body()).isEqualTo("Request Timeout: body read timeout: no bytes for 2000 ms\n");
		});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the answer")
			.isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
		assertNothingWholeAtTheSocket();
		assertOnlyTheAccessLine(output, "reason=\"body read timeout: no bytes for 2000 ms\"", "status=\"408\"");
		assertStillServes();
	}

	private void assertNothingWholeAtTheSocket() {
		await().during(Duration.ofSeconds(1))
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.server.requests()).as("whole requests at the socket").isEmpty());
	}

	/** Another client's streamed body still reaches the socket whole, on a connection of its own. */
	private void assertStillServes() {
		this.server.clear();
		assertThat(RawHttp.exchange(this.proxy.port(), bytes("POST /v1.41/images/load HTTP/1.1\r\nHost: proxy\r\n"
				+ "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntar\r\n0\r\n\r\n"), 1, 5000))
			.extracting(RawHttp.Response::status)
			.as("the proxy still serves")
			.containsExactly(200);
		assertThat(this.server.requests()).singleElement().satisfies((recorded) -> assertThat(recorded.bodyText()).isEqualTo("tar"));
	}

	/**
	 * The proxy's log for one refused request: its access line and nothing else at WARN or
	 * above, no stack trace, no entry longer than {@link #MAX_LOG_ENTRY}.
	 */
	static void assertOnlyTheAccessLine(CapturedOutput output, String... fields) {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll().lines().filter((line) -> line.contains("blocked request")))
				.singleElement()
				.satisfies((line) -> assertThat(line).contains(fields)));
		List<String> entries = entries(output.getAll());
		assertThat(entries).as("entries at WARN or ERROR")
			.filteredOn((entry) -> entry.contains(" WARN ") || entry.contains(" ERROR "))
			.singleElement()
			.satisfies((entry) -> assertThat(entry).contains("blocked request"));
		assertBounded(entries);
	}

	/** No entry has a stack trace, none is longer than {@link #MAX_LOG_ENTRY}. */
	static void assertBounded(List<String> entries) {
		assertThat(entries).as("entries with a stack trace").noneMatch((entry) -> entry.contains("\n\tat "));
		assertThat(entries).as("entries longer than " + MAX_LOG_ENTRY)
			.allSatisfy((entry) -> assertThat(entry.length()).isLessThanOrEqualTo(MAX_LOG_ENTRY));
	}

	/** The log's entries: each line that starts with a timestamp, with the lines that continue it. */
	static List<String> entries(String log) {
		List<String> entries = new ArrayList<>();
		for (String line : log.lines().toList()) {
			if (entries.isEmpty() || ENTRY_START.matcher(line).lookingAt()) {
				entries.add(line);
			}
			else {
				entries.set(entries.size() - 1, entries.get(entries.size() - 1) + "\n" + line);
			}
		}
		return entries;
	}

	/**
	 * Reactor Netty answers a head with too many fields with 431 and logs it once, with
	 * every header name on a line of its own: 36 KB for 10,000 fields. Cut to the bound,
	 * and the access line of a path too long to log whole as well.
	 */
	@Test
	void whatAClientSendsNeverMakesALogEntryLongerThanTheBound(CapturedOutput output) {
		this.server.clear();
		byte[] headers = bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n" + "X-A: 1\r\n".repeat(10000) + "\r\n");
		String longPath = "/v1.41/secrets/" + "a".repeat(1900);

		assertThat(RawHttp.exchange(this.proxy.port(), headers, 1, 5000)).extracting(RawHttp.Response::status)
			.containsExactly(431);
		assertThat(RawHttp.exchange(this.proxy.port(), get(longPath), 1, 5000)).extracting(RawHttp.Response::status)
			.containsExactly(403);

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(entries(output.getAll()))
			.filteredOn((entry) -> entry.contains(" WARN "))
			.satisfiesExactly((decodingFailed) -> assertThat(decodingFailed).contains("Decoding failed", "…[cut "),
					(accessLine) -> assertThat(accessLine).contains("blocked request", "path=\"" + longPath.substring(0, 100),
							"…[cut ", "status=\"403\"")));
		assertBounded(entries(output.getAll()));
		assertThat(this.server.requests()).as("what reached the socket").isEmpty();
		assertStillServes();
	}

	/** The JSON log (-logjson) is bounded the same way, and each entry stays one JSON object. */
	@Test
	void theJsonLogIsBoundedToo() {
		int port = RunningProxy.freePort();
		try (ProxyProcess json = ProxyProcess.start(Map.of(), "-socketpath=" + this.server.socket(), "-proxyport=" + port,
				"-logjson", "-allowGET=/v1\\.41/version")) {
			json.waitForPort(port, Duration.ofSeconds(60));
			assertThat(RawHttp.exchange(port, bytes("GET " + OK_TARGET + " HTTP/1.1\r\nHost: proxy\r\n"
					+ "X-A: 1\r\n".repeat(10000) + "\r\n"), 1, 5000)).extracting(RawHttp.Response::status)
				.containsExactly(431);
			assertThat(RawHttp.exchange(port, get("/v1.41/secrets/" + "a".repeat(1900)), 1, 5000))
				.extracting(RawHttp.Response::status)
				.containsExactly(403);

			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(json.jsonLines()).filteredOn((line) -> line.path("message").asString().contains("…[cut ")
						|| line.path("path").asString().contains("…[cut ")).hasSize(2));
			assertThat(json.output().lines()).as("JSON lines longer than " + MAX_LOG_ENTRY)
				.allSatisfy((line) -> assertThat(line.length()).isLessThanOrEqualTo(MAX_LOG_ENTRY));
		}
	}

	@Test
	void h2cUpgradeIsIgnoredAndNotForwarded() {
		this.server.clear();

		List<RawHttp.Response> responses = RawHttp.exchange(this.proxy.port(), bytes("GET " + OK_TARGET
				+ " HTTP/1.1\r\nHost: proxy\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
				+ "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"), 1, 5000);

		assertThat(responses).singleElement().satisfies((response) -> {
			assertThat(response.head()).startsWith("HTTP/1.1 200");
			assertThat(response.body()).isEqualTo("GET " + OK_TARGET);
		});
		assertThat(this.server.requests()).singleElement().satisfies((recorded) -> {
			assertThat(recorded.headers().contains("Upgrade")).as("Upgrade forwarded").isFalse();
			assertThat(recorded.headers().contains("HTTP2-Settings")).as("HTTP2-Settings forwarded").isFalse();
		});
	}

	/**
	 * The engine answers {@code POST /containers/{id}/wait} at once and the body only
	 * later: when the client's body then fails, the answer has started and cannot become a
	 * 400 or 408, so the client's connection is closed and the response is cut short (it
	 * stayed open until the read timeout, without a log line). The socket's connection is
	 * closed too, with the body never whole.
	 */
	@Nested
	@TestInstance(TestInstance.Lifecycle.PER_CLASS)
	class OnceTheSocketAnswered {

		private static final String WAIT = "POST /v1.41/containers/abc/wait HTTP/1.1\r\nHost: proxy\r\n";

		private static final String ANSWER_STARTED = "\r\n\r\n1\r\n{\r\n";

		private static final String NO_SUCH_CONTAINER = "no such container";

		private final List<String> wholeBodies = new CopyOnWriteArrayList<>();

		private final List<String> closedConnections = new CopyOnWriteArrayList<>();

		private RecordingUnixSocketServer engine;

		private RunningProxy waitProxy;

		@BeforeAll
		void start() {
			this.engine = RecordingUnixSocketServer.start(HostileRequestsIT.this.dir.resolve("engine.sock"),
					(request, response) -> {
						Connection connection = (Connection) request;
						String id = connection.channel().id().asLongText();
						connection.onDispose(() -> this.closedConnections.add(id));
						Mono<Void> body = request.receive()
							.aggregate()
							.asByteArray()
							.doOnNext((bytes) -> this.wholeBodies.add(request.uri()))
							.onErrorResume((ex) -> Mono.empty())
							.then();
						if (request.uri().endsWith("/images/load")) {
							return body.then(response.sendString(Mono.just("loaded")).then());
						}
						if (request.uri().contains("/gone/")) {
							return Mono.when(body, response.status(404).sendString(Mono.just(NO_SUCH_CONTAINER)));
						}
						// Not a single value, which Reactor Netty would send with a Content-Length.
						return Mono.when(body, response.sendString(Flux.concat(Mono.just("{"), Mono.never())));
					});
			this.waitProxy = RunningProxy.start("-socketpath=" + this.engine.socket(),
					"-allowPOST=/v1\\.41/(containers/[^/]+/wait|images/load)", "--socketproxy.limits.body-read-timeout=2s");
		}

		@AfterAll
		void stop() {
			this.waitProxy.close();
			this.engine.close();
		}

		@ParameterizedTest(name = "after the first chunk {0}")
		@MethodSource("dev.socketproxy.it.HostileRequestsIT#brokenChunks")
		void aBodyTheDecoderCannotReadCutsTheStartedResponse(String broken, CapturedOutput output) throws IOException {
			String received = exchangeAfter(WAIT + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", ANSWER_STARTED, broken);

			assertCut(received);
			assertOnlyTheAccessLine(output, "reason=\"malformed body: ", ", response cut\"", "status=\"200\"");
		}

		@Test
		void aBodyThatStopsArrivingCutsTheStartedResponseAfterTheBodyReadTimeout(CapturedOutput output)
				throws IOException {
			long start = System.nanoTime();

			String received = exchangeAfter(WAIT + "Content-Length: 1000\r\n\r\n", ANSWER_STARTED, "");

			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the cut")
				.isBetween(Duration.ofMillis(1900), Duration.ofSeconds(8));
			assertCut(received);
			assertOnlyTheAccessLine(output, "reason=\"body read timeout: no bytes for 2000 ms, response cut\"", "status=\"200\"");
		}

		/**
		 * Before any answer: the client gets 400, and the socket's connection, which had the
		 * head and the first chunk, is closed rather than returned to the pool.
		 */
		@Test
		void aBodyTheDecoderCannotReadBeforeAnyAnswerClosesTheSocketsConnection(CapturedOutput output)
				throws IOException {
			this.wholeBodies.clear();
			this.engine.clear();
			try (Socket socket = new Socket("127.0.0.1", this.waitProxy.port())) {
				socket.setSoTimeout(10000);
				socket.getOutputStream().write(bytes("POST /v1.41/images/load HTTP/1.1\r\nHost: proxy\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n"));
				await().atMost(Duration.ofSeconds(5)).until(() -> this.engine.requests().size() == 1);
				socket.getOutputStream().write(bytes(BROKEN_CHUNKS.get(0)));
				assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
					.startsWith("HTTP/1.1 400 Bad Request\r\n")
					.endsWith("Bad Request: malformed body: Invalid character in chunk size\n");
			}
			String connection = this.engine.requests().get(0).connection();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.closedConnections).as("closed socket connections").contains(connection));
			assertThat(this.wholeBodies).as("whole bodies at the socket").isEmpty();
			assertOnlyTheAccessLine(output, "reason=\"malformed body: ", "status=\"400\"");
		}

		/**
		 * The engine answered whole (404) before the body broke: the request has had its
		 * answer, the connection is closed without a line (Reactor Netty logged an ERROR
		 * with a stack trace for an error nobody read).
		 */
		@Test
		void aBodyThatBreaksAfterAWholeAnswerClosesTheConnectionWithoutALine(CapturedOutput output) throws IOException {
			String received = exchangeAfter("POST /v1.41/containers/gone/wait HTTP/1.1\r\nHost: proxy\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", NO_SUCH_CONTAINER, BROKEN_CHUNKS.get(0));

			assertThat(received).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("\r\n\r\n" + NO_SUCH_CONTAINER);
			assertThat(entries(output.getAll())).as("entries at WARN or ERROR")
				.noneMatch((entry) -> entry.contains(" WARN ") || entry.contains(" ERROR "));
			assertBounded(entries(output.getAll()));
		}

		/** The proxy refused the request before its body broke: the refusal's line is the only one. */
		@Test
		void aBodyThatBreaksAfterARefusalClosesTheConnectionWithTheRefusalsLineOnly(CapturedOutput output)
				throws IOException {
			String received = exchangeAfter("POST /v1.41/containers/abc/kill HTTP/1.1\r\nHost: proxy\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n", "\r\n\r\nForbidden\n", BROKEN_CHUNKS.get(0));

			assertThat(received).startsWith("HTTP/1.1 403 Forbidden\r\n");
			assertOnlyTheAccessLine(output, "reason=\"path not allowed\"", "status=\"403\"");
			assertThat(this.engine.requests()).as("requests at the socket").isEmpty();
		}

		/** Sends {@code head}, reads until {@code answer}, then sends {@code rest} and reads until the close. */
		private String exchangeAfter(String head, String answer, String rest) throws IOException {
			this.wholeBodies.clear();
			this.engine.clear();
			try (Socket socket = new Socket("127.0.0.1", this.waitProxy.port())) {
				socket.setSoTimeout(10000);
				socket.getOutputStream().write(bytes(head));
				InputStream in = socket.getInputStream();
				StringBuilder received = new StringBuilder();
				while (!received.toString().contains(answer)) {
					int next;
					try {
						next = in.read();
					}
					catch (SocketTimeoutException ex) {
						throw new AssertionError("no " + answer + " in: " + received, ex);
					}
					assertThat(next).as("answer so far: " + received).isNotNegative();
					received.append((char) next);
				}
				socket.getOutputStream().write(bytes(rest));
				try {
					received.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
				}
				catch (SocketException ex) {
					// a reset is a close too
				}
				return received.toString();
			}
		}

		private void assertCut(String received) {
			assertThat(received).as("the response as the client got it")
				.startsWith("HTTP/1.1 200 OK\r\n")
				.endsWith(ANSWER_STARTED);
			assertThat(this.engine.requests()).as("requests at the socket").hasSize(1);
			String connection = this.engine.requests().get(0).connection();
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(this.closedConnections).as("closed socket connections").contains(connection));
			assertThat(this.wholeBodies).as("whole bodies at the socket").isEmpty();
		}

	}

	static Stream<String> brokenChunks() {
		return BROKEN_CHUNKS.stream();
	}

	private static byte[] get(String target) {
		return bytes("GET " + target + " HTTP/1.1\r\nHost: proxy\r\n\r\n");
	}

	private static byte[] bytes(String text) {
		return RawHttp.bytes(text);
	}

	/**
	 * One hostile request and what must come of it.
	 *
	 * @param name what the case tries
	 * @param request the bytes written to the socket
	 * @param statuses the final statuses the client must read, in order
	 * @param forwarded {@code METHOD URI} of each request the socket server may receive
	 * @param forwardedBody the body the socket server must receive, {@code null} to not check
	 */
	record Case(String name, byte[] request, List<Integer> statuses, List<String> forwarded, String forwardedBody) {

		Case(String name, byte[] request, List<Integer> statuses, List<String> forwarded) {
			this(name, request, statuses, forwarded, null);
		}

		static Case refused(String name, byte[] request, int status) {
			return new Case(name, request, List.of(status), List.of());
		}

		static Case forwarded(String name, byte[] request, int status, String forwarded) {
			return new Case(name, request, List.of(status), List.of(forwarded));
		}

		static Case forwardedBody(String name, byte[] request, int status, String forwarded, String body) {
			return new Case(name, request, List.of(status), List.of(forwarded), body);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
