package dev.socketproxy.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.socketproxy.learn.LearnedTraffic.LearnedRules;

import static org.assertj.core.api.Assertions.assertThat;

class LearnedTrafficTest {

	private static final String ID_A = "a".repeat(64);

	private static final String ID_B = "0123456789abcdef".repeat(4);

	private final LearnedTraffic traffic = new LearnedTraffic(10, 100);

	@Test
	void keepsOneRulePerShapeAndDropsRulesThatABroaderOneCovers() {
		this.traffic.record("127.0.0.1", "GET", "/v1.51/containers/" + ID_A + "/json");
		this.traffic.record("127.0.0.1", "GET", "/v1.47/containers/" + ID_B + "/json");
		this.traffic.record("127.0.0.1", "GET", "/v1.51/containers/web/json");
		this.traffic.record("127.0.0.1", "POST", "/v1.51/containers/" + ID_A + "/start");
		this.traffic.record("127.0.0.1", "GET", "/v1.51/images/" + ID_A + "/json");
		this.traffic.record("127.0.0.1", "GET", "/v1.51/images/mini:latest/json");
		this.traffic.record("127.0.0.1", "GET", "/v1.51/images/json");
		this.traffic.record("127.0.0.1", "HEAD", "/_ping");
		this.traffic.record("127.0.0.1", "GET", "/_ping");

		LearnedRules rules = this.traffic.snapshot().get("127.0.0.1");

		assertThat(rules.allow()).containsExactly(
				Map.entry("GET", List.of("/_ping", "/v1\\.[0-9]+/containers/[a-zA-Z0-9_.-]+/json",
						"/v1\\.[0-9]+/images/[a-zA-Z0-9_.:@/-]+/json", "/v1\\.[0-9]+/images/json")),
				Map.entry("HEAD", List.of("/_ping")),
				Map.entry("POST", List.of("/v1\\.[0-9]+/containers/[0-9a-f]{64}/start")));
	}

	@Test
	void keepsClientsApartAndSortsThem() {
		this.traffic.record("10.0.0.2", "GET", "/v1.51/info");
		this.traffic.record("10.0.0.1", "GET", "/v1.51/version");

		Map<String, LearnedRules> snapshot = this.traffic.snapshot();

		assertThat(snapshot.keySet()).containsExactly("10.0.0.1", "10.0.0.2");
		assertThat(snapshot.get("10.0.0.1").allow()).containsExactly(Map.entry("GET", List.of("/v1\\.[0-9]+/version")));
		assertThat(snapshot.get("10.0.0.2").allow()).containsExactly(Map.entry("GET", List.of("/v1\\.[0-9]+/info")));
	}

	@Test
	void generationMovesOnlyWhenAPatternIsNew() {
		assertThat(this.traffic.record("127.0.0.1", "GET", "/v1.51/containers/" + ID_A + "/json")).isTrue();
		long after = this.traffic.generation();

		assertThat(this.traffic.record("127.0.0.1", "GET", "/v1.41/containers/" + ID_B + "/json")).isFalse();
		assertThat(this.traffic.generation()).isEqualTo(after);
		assertThat(this.traffic.record("127.0.0.1", "GET", "/v1.41/containers/web/json")).isTrue();
		assertThat(this.traffic.generation()).isEqualTo(after + 1);
	}

	@Test
	void capsPatternsPerClientAndClientsAndCountsWhatItTurnedAway() {
		LearnedTraffic small = new LearnedTraffic(1, 2);
		small.record("127.0.0.1", "GET", "/a");
		small.record("127.0.0.1", "GET", "/b");
		small.record("127.0.0.1", "GET", "/c");
		small.record("127.0.0.1", "GET", "/d");
		small.record("127.0.0.1", "GET", "/a");
		small.record("127.0.0.1", "BREW", "/pot");
		small.record("10.0.0.9", "GET", "/a");

		Map<String, LearnedRules> snapshot = small.snapshot();

		assertThat(snapshot).containsOnlyKeys("127.0.0.1");
		assertThat(snapshot.get("127.0.0.1")).isEqualTo(new LearnedRules(Map.of("GET", List.of("/a", "/b")), 2, 1));
		assertThat(small.droppedClientRequests()).isOne();
	}

	@Test
	void concurrentRecordingNeverPassesTheCap() {
		LearnedTraffic capped = new LearnedTraffic(10, 100);
		List<CompletableFuture<Void>> writers = new ArrayList<>();
		for (int thread = 0; thread < 4; thread++) {
			writers.add(CompletableFuture.runAsync(
					() -> IntStream.range(0, 300).forEach((i) -> capped.record("127.0.0.1", "GET", "/p" + i))));
		}
		writers.forEach(CompletableFuture::join);

		LearnedRules rules = capped.snapshot().get("127.0.0.1");

		assertThat(rules.allow().get("GET")).hasSize(100);
		assertThat(rules.droppedPatterns()).isEqualTo(4 * 200);
		assertThat(capped.generation()).isEqualTo(100);
	}

}
