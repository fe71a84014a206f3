package dev.socketproxy.access;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BindMountPolicyTest {

	@Test
	void cleansLikeGo() {
		assertThat(BindMountPolicy.clean("/a/./b/../../..//c/")).isEqualTo("/c");
		assertThat(BindMountPolicy.clean("/")).isEqualTo("/");
	}

	@Test
	void allowsTheDirectoriesAndWhatLiesBelowThem() {
		BindMountPolicy policy = new BindMountPolicy(List.of("/srv/data/"));
		assertThat(policy).hasToString("[/srv/data]");
		assertThat(policy.violation("bind source", "/srv/data/a/../b")).isEmpty();
		assertThat(policy.violation("bind source", "/srv/database"))
			.hasValue("/srv/database is outside the allowed directories");
		assertThat(policy.violation("bind source", "srv")).hasValue("bind source srv is not an absolute path");
	}

	@Test
	void offWithoutDirectories() {
		assertThat(new BindMountPolicy(List.of()).enabled()).isFalse();
		assertThat(new BindMountPolicy(List.of("/")).enabled()).isTrue();
	}

}
