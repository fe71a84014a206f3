package dev.socketproxy.reload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

import dev.socketproxy.access.AccessPolicy;
import dev.socketproxy.access.ActivePolicy;
import dev.socketproxy.access.PolicyTable;
import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.config.RulesFile;

/**
 * Keeps the policy in step with the rules file. The file is read before the listener
 * starts (an invalid file stops the start) and then checked every interval by its
 * content, which also catches edits that keep the modification time, and the atomic
 * renames of editors and Kubernetes config maps. A valid change replaces the whole
 * policy for the next request; requests already forwarded, event streams and upgraded
 * connections are not touched. An invalid change is refused with one log line and the
 * rules in force stay.
 */
public class RulesFileWatcher implements InitializingBean, SmartLifecycle {

	static final String RELOADS = "socketproxy.rules.reloads";

	private static final Logger logger = LoggerFactory.getLogger(RulesFileWatcher.class);

	private final String path;

	private final Duration interval;

	private final List<String> allowFrom;

	private final String labelPrefix;

	private final ActivePolicy policy;

	private final boolean clientsApply;

	private final Counter applied;

	private final Counter refused;

	private ScheduledExecutorService checks;

	private byte[] lastDigest;

	private byte[] lastRefused;

	public RulesFileWatcher(String path, Duration interval, List<String> allowFrom, String labelPrefix,
			ActivePolicy policy, boolean clientsApply, MeterRegistry registry) {
		this.path = path;
		this.interval = interval;
		this.allowFrom = allowFrom;
		this.labelPrefix = labelPrefix;
		this.policy = policy;
		this.clientsApply = clientsApply;
		this.applied = reloads(registry, "applied");
		this.refused = reloads(registry, "refused");
	}

	private static Counter reloads(MeterRegistry registry, String result) {
		return Counter.builder(RELOADS)
			.description("Changes of the rules file, applied or refused")
			.tag("result", result)
			.register(registry);
	}

	/** The first read: unlike a reload, an invalid file here stops the start. */
	@Override
	public void afterPropertiesSet() {
		byte[] content = RulesFile.read(this.path);
		this.policy.replace(compile(content));
		this.lastDigest = digest(content);
	}

	private AccessPolicy compile(byte[] content) {
		return AccessPolicy.compile(this.allowFrom, RulesFile.parse(this.path, content), this.labelPrefix);
	}

	/** One check; runs on the watcher's single thread only. */
	void check() {
		byte[] content;
		try {
			content = RulesFile.read(this.path);
		}
		catch (InvalidConfigurationException ex) {
			refuse(ex, null);
			return;
		}
		byte[] digest = digest(content);
		if (Arrays.equals(digest, this.lastDigest)) {
			this.lastRefused = null;
			return;
		}
		try {
			AccessPolicy reloaded = compile(content);
			this.policy.replace(reloaded);
			this.lastDigest = digest;
			this.lastRefused = null;
			this.applied.increment();
			logger.atInfo().addKeyValue("file", this.path).log("rules reloaded");
			PolicyTable.log(reloaded, this.clientsApply);
		}
		catch (InvalidConfigurationException ex) {
			refuse(ex, digest);
		}
	}

	/** Logs a refused change once, not on every check while the file stays wrong. */
	private void refuse(InvalidConfigurationException ex, byte[] digest) {
		byte[] seen = (digest != null) ? digest : new byte[0];
		if (Arrays.equals(seen, this.lastRefused)) {
			return;
		}
		this.lastRefused = seen;
		this.refused.increment();
		logger.atError()
			.addKeyValue("file", this.path)
			.addKeyValue("key", ex.getKey())
			.addKeyValue("value", ex.getValue())
			.addKeyValue("reason", ex.getReason())
			.log("rules reload refused, the rules in force stay");
	}

	private static byte[] digest(byte[] content) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(content);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void start() {
		this.checks = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "rules-file-watcher");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		this.checks.scheduleWithFixedDelay(this::checkLogged, millis, millis, TimeUnit.MILLISECONDS);
	}

	private void checkLogged() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			logger.atError().addKeyValue("file", this.path).addKeyValue("reason", ex.toString()).log("rules check failed");
		}
	}

	@Override
	public void stop() {
		if (this.checks != null) {
			this.checks.shutdownNow();
			this.checks = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.checks != null;
	}

}
