package dev.socketproxy.labels;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The engine's event stream, one JSON object per line, split into whole lines however the chunks fall. */
class DockerEngineJsonLinesTest {

	@Test
	void linesSplitAcrossChunksComeOutWhole() {
		assertThat(DockerEngine.jsonLines(chunks("{\"a\":", "1}\n{\"b\":2}\n\n{\"c\"", ":3}\r\n", "  \n"))
			.collectList()
			.block(Duration.ofSeconds(10))).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
	}

	@Test
	void aLineTooLongFailsTheStream() {
		String half = "x".repeat(DockerEngine.MAX_LINE / 2 + 1);

		assertThatExceptionOfType(DataBufferLimitException.class)
			.isThrownBy(() -> DockerEngine.jsonLines(chunks("{}\n", half, half, "\n")).blockLast(Duration.ofSeconds(10)));
	}

	private static Flux<DataBuffer> chunks(String... chunks) {
		return Flux.fromArray(chunks)
			.map((chunk) -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.getBytes(StandardCharsets.UTF_8)));
	}

}
