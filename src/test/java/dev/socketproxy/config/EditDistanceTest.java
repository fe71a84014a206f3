package dev.socketproxy.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EditDistanceTest {

	@ParameterizedTest
	@CsvSource({ "'', '', 0", "abc, abc, 0", "abc, abd, 1", "abc, ab, 1", "ab, abc, 1", "kitten, sitting, 3",
			"refuseprivilegd, refuseprivileged, 1" })
	void countsInsertionsDeletionsAndSubstitutions(String a, String b, int distance) {
		assertThat(EditDistance.between(a, b)).isEqualTo(distance);
	}

}
