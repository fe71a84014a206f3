package dev.socketproxy.upstream;

import java.util.Properties;

import reactor.netty.ReactorNetty;

/**
 * How many event loops Reactor Netty runs (the listener's connections, the fast path's and
 * the gateway's connections to the socket): one per processor the JVM may use, as Netty's
 * own transports are sized. Reactor Netty's default is at least four, which on a host or
 * container with fewer CPUs only adds threads that take turns on the same cores: on two
 * cores, two loops served 1.02–1.14× the requests of four at 0.85–0.94× the CPU per request
 * in four runs, peak RSS within ±4 MiB ({@code bench/run}, before/after in each). With four
 * or more processors the count is Reactor Netty's default. An explicit
 * {@code -Dreactor.netty.ioWorkerCount} is kept.
 */
public final class EventLoopCount {

	private EventLoopCount() {
	}

	/** Must run before Reactor Netty's loop resources are first used: they read the count once. */
	public static void onePerProcessor() {
		apply(System.getProperties(), Runtime.getRuntime().availableProcessors());
	}

	static void apply(Properties properties, int processors) {
		if (properties.getProperty(ReactorNetty.IO_WORKER_COUNT) == null) {
			properties.setProperty(ReactorNetty.IO_WORKER_COUNT, Integer.toString(Math.max(1, processors)));
		}
	}

}
