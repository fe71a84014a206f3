package dev.socketproxy.access;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class RequestHeadChecksTest {

	private final RequestHeadChecks checks = new RequestHeadChecks(10);

	@Test
	void ordinaryHeadPasses() {
		assertThat(this.checks.check(headers("Host: api.moby.localhost", "Content-Length: 12", "Expect: 100-Continue",
				"Upgrade: tcp", "Connection: Upgrade"))).isEmpty();
		assertThat(this.checks.check(headers("Host: [::1]:2375", "Transfer-Encoding: Chunked"))).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			X-A: 1                                            | 400 | missing Host header
			Host: a;Host: b                                   | 400 | more than one Host header
			Host: a/b                                         | 400 | invalid Host header
			Host: a@b                                         | 400 | invalid Host header
			Host: a;Content-Length: 1;Transfer-Encoding: chunked | 400 | both Transfer-Encoding and Content-Length
			Host: a;Transfer-Encoding: gzip                   | 400 | Transfer-Encoding other than chunked
			Host: a;Transfer-Encoding: chunked;Transfer-Encoding: chunked | 400 | Transfer-Encoding other than chunked
			Host: a;Content-Length: 1;Content-Length: 1       | 400 | invalid Content-Length
			Host: a;Content-Length: 0x10                      | 400 | invalid Content-Length
			Host: a;X-HTTP-Method-Override: DELETE            | 400 | method override header X-HTTP-Method-Override
			Host: a;x-method-override: PUT                    | 400 | method override header X-Method-Override
			Host: a;Expect: 200-ok                            | 417 | unsupported Expect
			Host: a;A: 1;B: 1;C: 1;D: 1;E: 1;F: 1;G: 1;H: 1;I: 1;J: 1 | 431 | too many header fields
			""")
	void refusesAmbiguousHeads(String lines, int status, String reason) {
		assertThat(this.checks.check(headers(lines.split(";")))).hasValueSatisfying((denial) -> {
			assertThat(denial.status().value()).isEqualTo(status);
			assertThat(denial.reason()).isEqualTo(reason);
			assertThat(denial.body()).endsWith(": " + reason);
		});
	}

	private static HttpHeaders headers(String... lines) {
		HttpHeaders headers = new DefaultHttpHeaders();
		for (String line : lines) {
			int colon = line.indexOf(':');
			headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
		}
		return headers;
	}

}
