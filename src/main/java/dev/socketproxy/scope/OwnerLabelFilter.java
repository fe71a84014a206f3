package dev.socketproxy.scope;

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
import dev.socketproxy.access.JudgedBody;
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.body.EngineForm;
import dev.socketproxy.access.body.InspectedEndpoint;
import dev.socketproxy.access.body.InvalidBodyException;
import dev.socketproxy.access.body.OwnerLabel;

/**
 * Labels what an owner-scoped client creates with its owner ({@code <prefix>.owner=<id>}):
 * the {@code Labels} of a container, network or volume create body, and the
 * {@code labels} query parameter of a build. Runs after every decision, which judged the
 * request as the client sent it; the label only narrows what the client may touch later.
 * A client's own value for the owner label is overwritten. Always enforced, report-only
 * mode or not: a request it cannot label (malformed labels; on a build, a form body or a repeated
 * {@code labels} on a build) is refused with 400.
 */
public class OwnerLabelFilter implements GlobalFilter, Ordered {

	private static final Pattern BUILD = EnginePath.pattern("/build");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || client.scope().owner().isEmpty()
				|| exchange.getRequest().getMethod() != HttpMethod.POST) {
			return chain.filter(exchange);
		}
		OwnerLabel label = new OwnerLabel(client.scope().ownerLabel(), client.scope().owner().get());
		if (BUILD.matcher(target.path()).matches()) {
			return build(exchange, chain, target, label);
		}
		Optional<InspectedEndpoint> endpoint = InspectedEndpoint.of("POST", target.path()).filter(InspectedEndpoint::labelled);
		if (endpoint.isEmpty()) {
			return chain.filter(exchange);
		}
		JudgedBody body = GatewayExchange.body(exchange);
		if (body == null) {
			// The body decision reads every body an owner scope labels; this is not one it read.
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, "request not checked: body not read"));
		}
		try {
			return chain.filter(RewrittenRequest.body(exchange, label.body(body.bytes(), body.json())));
		}
		catch (InvalidBodyException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
	}

	private static Mono<Void> build(ServerWebExchange exchange, GatewayFilterChain chain, RequestTarget target,
			OwnerLabel label) {
		if (EngineForm.hasFormBody(exchange.getRequest().getHeaders())) {
			return DenialResponse.send(exchange, EngineForm.FORM_BODY);
		}
		String labels;
		try {
			Map<String, List<String>> form = EngineForm.parse(target.rawQuery(), List.of("labels"));
			labels = label.query(EngineForm.first(form, "labels"));
		}
		catch (IllegalArgumentException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		return chain.filter(RewrittenRequest.query(exchange, EngineForm.with(target.rawQuery(), "labels", labels)));
	}

	@Override
	public int getOrder() {
		return GatewayExchange.OWNER_LABEL;
	}

}
