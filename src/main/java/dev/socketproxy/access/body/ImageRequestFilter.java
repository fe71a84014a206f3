package dev.socketproxy.access.body;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.Denial;
import dev.socketproxy.access.DenialResponse;
import dev.socketproxy.access.EnginePath;
import dev.socketproxy.access.GatewayExchange;
import dev.socketproxy.access.ImagePolicy;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.RuleEnforcement;

/**
 * The image restriction for the endpoints that name images in their query: the pulled
 * ({@code fromImage}, {@code tag}) or imported ({@code repo}, {@code tag}) image of
 * {@code POST /images/create}, and every {@code t} tag of {@code POST /build}. The query
 * is read as Go's {@code url.ParseQuery} reads it for the engine.
 * <p>
 * The engine's {@code r.Form} also holds the fields of an
 * {@code application/x-www-form-urlencoded} body, ahead of the query's, so such a body
 * (and, for good measure, a multipart one) is refused with 400: the query judged here would
 * not be the one the engine uses. For the same reason a judged parameter given twice, of
 * which the engine takes the first, and a {@code ;} in the query, which makes the engine
 * refuse the form, are refused with 400 rather than judged.
 */
public class ImageRequestFilter implements GlobalFilter, Ordered {

	private static final Pattern IMAGE_CREATE = EnginePath.pattern("/images/create");

	private static final Pattern BUILD = EnginePath.pattern("/build");

	/** Parameters the engine reads with {@code r.Form.Get}, i.e. only their first value. */
	private static final List<String> SINGLE_PARAMETERS = List.of("fromImage", "tag", "repo");

	private final RuleEnforcement enforcement;

	public ImageRequestFilter(RuleEnforcement enforcement) {
		this.enforcement = enforcement;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || !client.images().enabled()
				|| exchange.getRequest().getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		boolean imageCreate = IMAGE_CREATE.matcher(target.path()).matches();
		if (!imageCreate && !BUILD.matcher(target.path()).matches()) {
			return chain.filter(exchange);
		}
		if (hasFormBody(exchange.getRequest().getHeaders())) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST,
					"form body not inspected: the engine would read its fields before the query"));
		}
		Map<String, List<String>> form;
		try {
			form = form(target.rawQuery());
		}
		catch (IllegalArgumentException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		Optional<String> violation = imageCreate ? imageCreate(client.images(), form) : build(client.images(), form);
		if (violation.isPresent()) {
			return this.enforcement.refuse(exchange, chain,
					Denial.explained(HttpStatus.FORBIDDEN, "image not allowed: " + violation.get()));
		}
		return chain.filter(exchange);
	}

	private static Optional<String> imageCreate(ImagePolicy images, Map<String, List<String>> form) {
		String fromImage = first(form, "fromImage");
		String tag = first(form, "tag");
		// Without fromImage the engine imports fromSrc and names the result after repo.
		return images.pulled((fromImage.isEmpty()) ? first(form, "repo") : fromImage, tag);
	}

	private static Optional<String> build(ImagePolicy images, Map<String, List<String>> form) {
		for (String tag : form.getOrDefault("t", List.of())) {
			// The engine skips empty tags.
			Optional<String> violation = tag.isEmpty() ? Optional.empty() : images.named(tag);
			if (violation.isPresent()) {
				return violation;
			}
		}
		return Optional.empty();
	}

	private static String first(Map<String, List<String>> form, String name) {
		List<String> values = form.getOrDefault(name, List.of());
		return values.isEmpty() ? "" : values.get(0);
	}

	/** Go's {@code parsePostForm} reads the body for this media type; a multipart one only on request. */
	private static boolean hasFormBody(HttpHeaders headers) {
		for (String contentType : headers.getOrEmpty(HttpHeaders.CONTENT_TYPE)) {
			int semicolon = contentType.indexOf(';');
			String mediaType = ((semicolon >= 0) ? contentType.substring(0, semicolon) : contentType).strip()
				.toLowerCase(Locale.ROOT);
			if (mediaType.equals("application/x-www-form-urlencoded") || mediaType.startsWith("multipart/")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Go's {@code url.ParseQuery}: pairs split at {@code &}, empty ones skipped, keys and
	 * values unescaped with {@code +} as a space. The target's percent-encoding is already
	 * known to be valid.
	 * @throws IllegalArgumentException for a query the engine would not read as judged here
	 */
	static Map<String, List<String>> form(String rawQuery) {
		Map<String, List<String>> form = new LinkedHashMap<>();
		if (rawQuery == null) {
			return form;
		}
		if (rawQuery.indexOf(';') >= 0) {
			throw new IllegalArgumentException("ambiguous query: ';' separator");
		}
		for (String pair : rawQuery.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String key = unescape((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? unescape(pair.substring(equals + 1)) : "";
			form.computeIfAbsent(key, (k) -> new ArrayList<>()).add(value);
		}
		for (String name : SINGLE_PARAMETERS) {
			if (form.getOrDefault(name, List.of()).size() > 1) {
				throw new IllegalArgumentException("ambiguous query: " + name + " given more than once");
			}
		}
		return form;
	}

	private static String unescape(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length()) {
				bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				bytes.write((c == '+') ? ' ' : c);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	@Override
	public int getOrder() {
		return GatewayExchange.IMAGE_REQUEST;
	}

}
