package dev.socketproxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Reads a rules file: YAML laid out like the {@code socketproxy:} section of
 * {@code application.yaml}, holding only {@code allow}, {@code allow-bind-mount-from},
 * {@code profiles}, {@code redact-env}, {@code allow-images}, {@code refuse-latest}, {@code owner}
 * and {@code visible-containers}. Any
 * other key, a file without rules, or a value the configuration would refuse makes the
 * whole file invalid, so a half-written or mistyped file is never taken for a policy.
 */
public final class RulesFile {

	private static final String KEY = "socketproxy.rules-file";

	private static final List<ConfigurationPropertyName> RULE_KEYS = List.of(
			ConfigurationPropertyName.of("socketproxy.allow"),
			ConfigurationPropertyName.of("socketproxy.allow-bind-mount-from"),
			ConfigurationPropertyName.of("socketproxy.profiles"), ConfigurationPropertyName.of("socketproxy.redact-env"),
			ConfigurationPropertyName.of("socketproxy.allow-images"),
			ConfigurationPropertyName.of("socketproxy.refuse-latest"), ConfigurationPropertyName.of("socketproxy.owner"),
			ConfigurationPropertyName.of("socketproxy.visible-containers"));

	private RulesFile() {
	}

	/** The file's bytes; the caller keeps them to notice a change. */
	public static byte[] read(String path) {
		try {
			return Files.readAllBytes(Path.of(path));
		}
		catch (IOException ex) {
			throw new InvalidConfigurationException(KEY, path, "cannot read the file: " + ex.getClass().getSimpleName());
		}
	}

	/**
	 * The rules the file's content holds.
	 * @throws InvalidConfigurationException naming the first key or value that is wrong
	 */
	public static AccessRules parse(String path, byte[] content) {
		List<PropertySource<?>> documents;
		try {
			documents = new YamlPropertySourceLoader().load(path, new ByteArrayResource(content, path));
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidConfigurationException(KEY, path, "not valid YAML: " + firstLine(ex.getMessage()));
		}
		boolean hasRules = false;
		for (ConfigurationPropertySource source : ConfigurationPropertySources.from(documents)) {
			for (ConfigurationPropertyName name : (IterableConfigurationPropertySource) source) {
				if (RULE_KEYS.stream().noneMatch((key) -> key.equals(name) || key.isAncestorOf(name))) {
					throw new InvalidConfigurationException(name.toString(), path,
							"not allowed in a rules file, which holds only socketproxy.allow, "
									+ "socketproxy.allow-bind-mount-from, socketproxy.profiles, socketproxy.redact-env, "
									+ "socketproxy.allow-images, socketproxy.refuse-latest, socketproxy.owner and "
									+ "socketproxy.visible-containers");
				}
				hasRules = true;
			}
		}
		if (!hasRules) {
			throw new InvalidConfigurationException(KEY, path, "holds no rules under socketproxy:");
		}
		try {
			return new Binder(ConfigurationPropertySources.from(documents)).bindOrCreate("socketproxy", Bindable.of(AccessRules.class));
		}
		catch (BindException ex) {
			for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof InvalidConfigurationException invalid) {
					throw invalid;
				}
			}
			throw new InvalidConfigurationException(ex.getName().toString(),
					(ex.getProperty() != null) ? ex.getProperty().getValue() : null,
					firstLine((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()));
		}
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "unreadable";
		}
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

}
