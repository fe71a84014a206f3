package dev.socketproxy.upstream;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class HijackedEndpointsTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			POST | /v1.41/containers/abc/attach?stream=1&stdin=1 | tcp       | true
			POST | /containers/abc/attach                        | TCP       | true
			POST | /v1.47/exec/0123abcd/start                    | tcp       | true
			GET  | /v1.41/containers/abc/attach/ws?stream=1      | websocket | true
			POST | /v1.41/session                                | h2c       | true
			POST | /grpc                                         | h2c       | true
			POST | /v1.41/exec/abc/start                         | h2c       | false
			POST | /v1.41/exec/abc/start                         | websocket | false
			GET  | /v1.41/containers/abc/attach/ws               | tcp       | false
			POST | /v1.41/session                                | tcp       | false
			GET  | /v1.41/version                                | tcp       | false
			GET  | /v1.41/version                                | websocket | false
			POST | /v1.41/containers/abc/wait                    | tcp       | false
			POST | /v1.41/containers/create                      | tcp       | false
			GET  | /v1.41/containers/abc/attach                  | tcp       | false
			PUT  | /v1.41/exec/abc/start                         | tcp       | false
			POST | /v1.41/containers/abc/attach/ws               | websocket | false
			POST | /v1.41/exec/a/b/start                         | tcp       | false
			POST | /v1.41/exec/abc/start/more                    | tcp       | false
			POST | /v1.41/exec/../start                          | tcp       | false
			POST | /v1.41/exec/a%2Fb/start                       | tcp       | false
			POST | /x/v1.41/exec/abc/start                       | tcp       | false
			POST | /v1.41/grpc/x                                 | h2c       | false
			""")
	void onlyTheEnginesHijackEndpointsWithTheirOwnProtocolSwitch(String method, String uri, String upgrade,
			boolean switches) {
		HttpHeaders headers = new DefaultHttpHeaders().add("Connection", "Upgrade").add("Upgrade", upgrade);

		assertThat(HijackedEndpoints.isUpgradeRequest(HttpMethod.valueOf(method), uri, headers)).isEqualTo(switches);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			Upgrade                 | true
			upgrade                 | true
			keep-alive, Upgrade     | true
			keep-alive              | false
			''                      | false
			""")
	void theConnectionHeaderMustNameUpgrade(String connection, boolean switches) {
		HttpHeaders headers = new DefaultHttpHeaders().add("Upgrade", "tcp");
		if (!connection.isEmpty()) {
			headers.add("Connection", connection);
		}

		assertThat(HijackedEndpoints.isUpgradeRequest(HttpMethod.POST, "/v1.41/exec/abc/start", headers))
			.isEqualTo(switches);
	}

}
