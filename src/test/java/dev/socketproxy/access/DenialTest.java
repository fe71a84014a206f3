package dev.socketproxy.access;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class DenialTest {

	@Test
	void anEngineErrorCarriesItsMessageAsOneJsonString() {
		Denial denial = Denial.engineError(HttpStatus.NOT_FOUND, "not visible: container a", "No such container: a\"b\\c\u0001");

		assertThat(denial.body()).isEqualTo("{\"message\":\"No such container: a\\\"b\\\\c\\u0001\"}");
		assertThat(denial.engineShaped()).isTrue();
		assertThat(Denial.explained(HttpStatus.FORBIDDEN, "path not allowed").engineShaped()).isFalse();
	}

}
