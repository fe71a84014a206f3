package dev.socketproxy.access.body;

import java.net.URI;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.util.UriComponentsBuilder;

import dev.socketproxy.access.RefusalReason;
import dev.socketproxy.access.RequestTarget;

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
		assertThat(EngineForm.with("&&a=%41&b&c=x=y==", "labels", "")).isEqualTo("a=%41&b&c=x%3Dy%3D%3D&labels=");
		assertThat(EngineForm.with("=filters&t=a&q=1&t=b&=", "filters", "{}")).isEqualTo("t=a&t=b&q=1&filters=%7B%7D");
	}

	@Property
	void whatIsSetIsWhatTheEngineReads(@ForAll String value, @ForAll String other) {
		String query = EngineForm.with("o=" + EngineForm.escape(other) + "&e=a=b&filters=x", "filters", value);

		Map<String, List<String>> form = EngineForm.parse(query, List.of("filters"));
		assertThat(form.get("filters")).containsExactly(value);
		assertThat(form.get("o")).containsExactly(other);
		assertThat(form.get("e")).containsExactly("a=b");
	}

	/** The gateway forwards through Spring's URI handling, which must leave a rewritten query as it is. */
	@Property
	void aRewrittenQueryIsForwardedAsItIs(@ForAll("queries") String rawQuery, @ForAll String value) {
		RequestTarget.parse("/v1.41/containers/json?" + rawQuery);
		EngineForm.parse(rawQuery, List.of());
		String query = EngineForm.with(rawQuery, "filters", value);

		URI received = URI.create("http://127.0.0.1:2375/v1.41/containers/json?" + query);
		assertThat(UriComponentsBuilder.fromUri(received).build(true).toUri().getRawQuery()).isEqualTo(query);
	}

	@Provide
	Arbitrary<String> queries() {
		Arbitrary<String> part = Arbitraries.oneOf(Arbitraries.strings().withChars("abf=&+-._~!$'()*,:@/?").ofMaxLength(6),
				Arbitraries.of("filters", "%41", "%3D", "%26", "=filters", "&&"));
		return part.list().ofMaxSize(6).map((parts) -> String.join("", parts));
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
