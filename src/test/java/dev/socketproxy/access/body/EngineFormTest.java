package dev.socketproxy.access.body;

import java.util.List;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import dev.socketproxy.access.RefusalReason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EngineFormTest {

	@Test
	void theQueryIsReadAsGoReadsIt() {
		assertThat(EngineForm.parse("a=1&&b&c=x+y%2Bz&a=2&=v", List.of()))
			.containsExactly(Map.entry("a", List.of("1", "2")), Map.entry("b", List.of("")),
					Map.entry("c", List.of("x y+z")), Map.entry("", List.of("v")));
		assertThatIllegalArgumentException().isThrownBy(() -> EngineForm.parse("repo=a&repo=b", List.of("repo")))
			.satisfies((ex) -> assertThat(RefusalReason.of(ex.getMessage())).isEqualTo(RefusalReason.AMBIGUOUS_QUERY));
		assertThatIllegalArgumentException().isThrownBy(() -> EngineForm.parse("a=1;b=2", List.of()))
			.withMessage("ambiguous query: ';' separator");
	}

	@Test
	void aParameterIsReplacedByItsUnescapedNameAndTheRestKeptByteForByte() {
		assertThat(EngineForm.with("all=1&%66ilters=%7B%7D&size=true", "filters", "{\"a\":1}"))
			.isEqualTo("all=1&size=true&filters=%7B%22a%22%3A1%7D");
		assertThat(EngineForm.with(null, "filters", "x y")).isEqualTo("filters=x%20y");
		assertThat(EngineForm.with("&&a=%41", "labels", "")).isEqualTo("a=%41&labels=");
	}

	@Property
	void whatIsSetIsWhatTheEngineReads(@ForAll String value, @ForAll String other) {
		String query = EngineForm.with("o=" + EngineForm.escape(other) + "&filters=x", "filters", value);

		Map<String, List<String>> form = EngineForm.parse(query, List.of("filters"));
		assertThat(form.get("filters")).containsExactly(value);
		assertThat(form.get("o")).containsExactly(other);
	}

	@Test
	void formAndMultipartBodiesAreFound() {
		for (String type : List.of("application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded ; charset=utf-8",
				"multipart/form-data; boundary=x")) {
			HttpHeaders headers = new HttpHeaders();
			headers.add(HttpHeaders.CONTENT_TYPE, type);
			assertThat(EngineForm.hasFormBody(headers)).as(type).isTrue();
		}
		HttpHeaders tar = new HttpHeaders();
		tar.add(HttpHeaders.CONTENT_TYPE, "application/x-tar");
		assertThat(EngineForm.hasFormBody(tar)).isFalse();
		assertThat(EngineForm.hasFormBody(new HttpHeaders())).isFalse();
	}

}
