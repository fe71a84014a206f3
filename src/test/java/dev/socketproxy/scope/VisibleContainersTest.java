package dev.socketproxy.scope;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.socketproxy.access.ObjectScope;
import dev.socketproxy.config.AccessRules.VisibleContainers;
import dev.socketproxy.scope.EngineObject.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class VisibleContainersTest {

	private static final ObjectScope TRAEFIK = ObjectScope.compile("socketproxy", "socket-proxy", null,
			new VisibleContainers(List.of("dash"), List.of("traefik.enable=true")));

	private static final EngineObjects ENGINE = (kind, reference) -> Mono.just(switch (reference) {
		case "c-web" -> Optional.of(new EngineObject(Kind.CONTAINER, "c-web", List.of("/web"), Map.of("traefik.enable", "true"), null));
		case "c-db" -> Optional.of(new EngineObject(Kind.CONTAINER, "c-db", List.of("/db"), Map.of(), null));
		default -> Optional.<EngineObject>empty();
	});

	private final dev.socketproxy.scope.VisibleContainers visible = new dev.socketproxy.scope.VisibleContainers(TRAEFIK, ENGINE);

	@Test
	void theListKeepsOnlyVisibleContainersAsTheyWere() {
		String web = "{\"Id\":\"c-web\",\"Names\":[\"/web\"],\"Labels\":{\"traefik.enable\":\"true\"},\"Created\":1.5e9,\"Ports\":[]}";
		String db = "{\"Id\":\"c-db\",\"Names\":[\"/db\"],\"Labels\":{}}";
		String dash = "{\"Id\":\"c-dash\",\"Names\":[\"/dash\"],\"Labels\":null}";
		String answer = "[" + web + "," + db + "," + dash + "]\n";

		assertThat(list(answer)).isEqualTo("[" + web + "," + dash + "]\n");
		assertThat(list("[]")).isEqualTo("[]");
		assertThat(list("[" + db + "]")).isEqualTo("[]");
	}

	@Test
	void anAnswerThatIsNoListCannotBeFiltered() {
		for (String answer : List.of("{}", "[", "[{}", "[1]", "[] []", "")) {
			assertThatIllegalArgumentException().as(answer).isThrownBy(() -> list(answer));
		}
	}

	@Test
	void eventsOfHiddenContainersDoNotPass() {
		assertThat(shows("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c-web\",\"Attributes\":"
				+ "{\"name\":\"web\",\"traefik.enable\":\"true\",\"image\":\"nginx\"}}}")).isTrue();
		assertThat(shows("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c-dash\",\"Attributes\":"
				+ "{\"name\":\"dash\"}}}")).isTrue();
		assertThat(shows("{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"c-db\",\"Attributes\":"
				+ "{\"name\":\"db\",\"image\":\"postgres\"}}}")).isFalse();
		assertThat(shows("{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n1\",\"Attributes\":"
				+ "{\"container\":\"c-web\",\"name\":\"bridge\"}}}")).isTrue();
		assertThat(shows("{\"Type\":\"network\",\"Action\":\"connect\",\"Actor\":{\"ID\":\"n1\",\"Attributes\":"
				+ "{\"container\":\"c-db\",\"name\":\"bridge\"}}}")).isFalse();
		assertThat(shows("{\"Type\":\"network\",\"Action\":\"disconnect\",\"Actor\":{\"ID\":\"n1\",\"Attributes\":"
				+ "{\"container\":\"c-gone\",\"name\":\"bridge\"}}}")).isFalse();
		assertThat(shows("{\"Type\":\"network\",\"Action\":\"create\",\"Actor\":{\"ID\":\"n1\",\"Attributes\":{\"name\":\"n\"}}}"))
			.isTrue();
		assertThat(shows("{\"Type\":\"image\",\"Action\":\"pull\",\"Actor\":{\"ID\":\"nginx\"}}")).isTrue();
		assertThat(shows("{\"status\":\"start\",\"id\":\"c-db\"}")).isFalse();
		assertThat(shows("not json")).isFalse();
		assertThat(shows("[1]")).isFalse();
	}

	private String list(String answer) {
		return new String(this.visible.list(answer.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
	}

	private boolean shows(String line) {
		return this.visible.shows(line).block();
	}

}
