package dev.socketproxy.labels;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLinesTest {

	@Test
	void linesSplitAcrossChunksComeOutWhole() {
		JsonLines lines = new JsonLines();

		assertThat(lines.append("{\"a\":")).isEmpty();
		assertThat(lines.append("1}\n{\"b\":2}\n\n{\"c\"")).containsExactly("{\"a\":1}", "{\"b\":2}");
		assertThat(lines.append(":3}\r\n")).containsExactly("{\"c\":3}");
	}

}
