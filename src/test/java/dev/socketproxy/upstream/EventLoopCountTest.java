package dev.socketproxy.upstream;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopCountTest {

	private static final String COUNT = "reactor.netty.ioWorkerCount";

	@Test
	void oneLoopPerProcessor() {
		Properties properties = new Properties();
		EventLoopCount.apply(properties, 2);
		assertThat(properties.getProperty(COUNT)).isEqualTo("2");
	}

	@Test
	void atLeastOneLoop() {
		Properties properties = new Properties();
		EventLoopCount.apply(properties, 0);
		assertThat(properties.getProperty(COUNT)).isEqualTo("1");
	}

	@Test
	void anExplicitCountIsKept() {
		Properties properties = new Properties();
		properties.setProperty(COUNT, "4");
		EventLoopCount.apply(properties, 2);
		assertThat(properties.getProperty(COUNT)).isEqualTo("4");
	}

}
