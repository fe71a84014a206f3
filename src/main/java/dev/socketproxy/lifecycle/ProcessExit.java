package dev.socketproxy.lifecycle;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stops the application gracefully and ends the process with a given exit code, from a
 * thread of its own: closing the context waits for the listener, so it must not run on
 * one of the threads it waits for.
 */
public class ProcessExit {

	private final ConfigurableApplicationContext context;

	public ProcessExit(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public void exit(int code) {
		Thread exit = new Thread(() -> System.exit(SpringApplication.exit(this.context, () -> code)),
				"socket-proxy-exit");
		exit.setDaemon(false);
		exit.start();
	}

}
