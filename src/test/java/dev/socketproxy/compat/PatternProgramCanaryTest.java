package dev.socketproxy.compat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canary of {@code com.google.re2j.PatternProgram}, our class in RE2/J's package: it
 * is there only because RE2/J keeps the program it compiles ({@code Prog}, {@code Inst})
 * package-private. {@code PatternProgramTest} pins the program's shape; this test fails
 * once RE2/J makes that program public, and the split package can go.
 */
class PatternProgramCanaryTest {

	@Test
	void re2jStillKeepsItsCompiledProgramPackagePrivate() throws ClassNotFoundException {
		ClassLoader loader = Pattern.class.getClassLoader();
		Class<?> prog = Class.forName("com.google.re2j.Prog", false, loader);
		Class<?> inst = Class.forName("com.google.re2j.Inst", false, loader);

		String goes = "RE2/J offers its compiled program publicly now: the workaround com.google.re2j.PatternProgram "
				+ "(a class of ours in RE2/J's package) can go; read the program through that API";
		assertThat(Modifier.isPublic(prog.getModifiers())).as(goes).isFalse();
		assertThat(Modifier.isPublic(inst.getModifiers())).as(goes).isFalse();
		assertThat(Arrays.stream(Pattern.class.getMethods()).map(Method::getReturnType))
			.as(goes)
			.doesNotContain(prog, inst);
	}

}
