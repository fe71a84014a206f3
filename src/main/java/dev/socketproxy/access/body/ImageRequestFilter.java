package dev.socketproxy.access.body;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
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
 * The query is read as the engine reads its form ({@link EngineForm}): a form or multipart
 * body, a judged parameter given twice, and a {@code ;} in the query, which makes the
 * engine refuse the form, are refused with 400 rather than judged.
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
		if (EngineForm.hasFormBody(exchange.getRequest().getHeaders())) {
			return DenialResponse.send(exchange, EngineForm.FORM_BODY);
		}
		Map<String, List<String>> form;
		try {
			form = EngineForm.parse(target.rawQuery(), SINGLE_PARAMETERS);
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
		String fromImage = EngineForm.first(form, "fromImage");
		String tag = EngineForm.first(form, "tag");
		// Without fromImage the engine imports fromSrc and names the result after repo.
		return images.pulled((fromImage.isEmpty()) ? EngineForm.first(form, "repo") : fromImage, tag);
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

	@Override
	public int getOrder() {
		return GatewayExchange.IMAGE_REQUEST;
	}

}
