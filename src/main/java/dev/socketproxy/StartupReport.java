package dev.socketproxy;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import dev.socketproxy.access.ClientAllowlist;
import dev.socketproxy.access.MethodRules;
import dev.socketproxy.config.SocketProxyProperties;

/**
 * Logs, once the listener is up, what the proxy does: where it listens, what it forwards
 * to, who may connect and which requests pass, so an operator sees the policy at a glance.
 */
@Component
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(StartupReport.class);

	private final SocketProxyProperties properties;

	private final ClientAllowlist allowlist;

	private final MethodRules rules;

	StartupReport(SocketProxyProperties properties, ClientAllowlist allowlist, MethodRules rules) {
		this.properties = properties;
		this.allowlist = allowlist;
		this.rules = rules;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.atInfo()
			.addKeyValue("listen", this.properties.listenIp() + ":" + this.properties.proxyPort())
			.addKeyValue("socket", this.properties.socketPath())
			.addKeyValue("allowFrom", this.allowlist)
			.addKeyValue("logLevel", this.properties.logLevel())
			.addKeyValue("shutdownGraceTime", this.properties.shutdownGraceTime())
			.addKeyValue("allowBindMountFrom", this.properties.allowBindMountFrom())
			.addKeyValue("containerPolicy", this.properties.containerPolicy())
			.addKeyValue("limits", this.properties.limits())
			.log("socket-proxy configuration");
		Map<String, List<String>> table = this.rules.table();
		if (table.isEmpty()) {
			logger.warn("no request rules configured: every request will be refused");
		}
		table.forEach((method, patterns) -> patterns
			.forEach((pattern) -> logger.atInfo().addKeyValue("method", method).addKeyValue("rule", pattern).log("allow")));
	}

}
