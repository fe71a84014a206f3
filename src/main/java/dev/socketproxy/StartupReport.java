package dev.socketproxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import dev.socketproxy.access.ActivePolicy;
import dev.socketproxy.access.PolicyTable;
import dev.socketproxy.config.SocketProxyProperties;
import dev.socketproxy.upstream.NettyTransport;

/**
 * Logs, once the listener is up, what the proxy does: where it listens, what it forwards
 * to, and for each profile who may connect and which requests pass, so an operator sees
 * the policy at a glance, and which network transport (epoll or NIO) it runs on.
 */
@Component
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final SocketProxyProperties properties;

	private final ActivePolicy policy;

	StartupReport(SocketProxyProperties properties, ActivePolicy policy) {
		this.properties = properties;
		this.policy = policy;
	}

	private String listener() {
		if (this.properties.proxySocketEndpoint() != null) {
			return "unix:" + this.properties.proxySocketEndpoint() + " (mode "
					+ this.properties.proxySocketEndpointFileMode() + ")";
		}
		return this.properties.listenIp() + ":" + this.properties.proxyPort();
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.atInfo()
			.addKeyValue("listen", listener())
			.addKeyValue("socket", this.properties.socketPath())
			.addKeyValue("rulesFile", (this.properties.rulesFile() != null) ? this.properties.rulesFile() : "none")
			.addKeyValue("reportOnly", this.properties.reportOnly())
			.addKeyValue("logLevel", this.properties.logLevel())
			.addKeyValue("shutdownGraceTime", this.properties.shutdownGraceTime())
			.addKeyValue("containerPolicy", this.properties.containerPolicy())
			.addKeyValue("limits", this.properties.limits())
			.log("socket-proxy configuration");
		if (this.properties.reportOnly()) {
			logger.warn("report-only mode: requests the rules refuse are logged and counted, then forwarded");
		}
		NettyTransport transport = NettyTransport.current();
		if (transport.unavailable() != null) {
			logger.atWarn()
				.addKeyValue("transport", transport.name())
				.addKeyValue("reason", transport.unavailable())
				.log("native epoll transport not loaded, running on NIO");
		}
		else {
			logger.atInfo().addKeyValue("transport", transport.name()).log("network transport");
		}
		PolicyTable.log(this.policy.current(), this.properties.proxySocketEndpoint() == null);
	}

}
