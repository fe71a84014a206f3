package dev.socketproxy.scope;

import java.util.List;
import java.util.Map;
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
import dev.socketproxy.access.RequestTarget;
import dev.socketproxy.access.body.EngineFilters;
import dev.socketproxy.access.body.EngineForm;

/**
 * Narrows an owner-scoped client's lists, prunes and events to its own objects: merges
 * {@code label=<prefix>.owner=<id>} into the {@code filters} query of
 * {@code GET /containers/json}, {@code /networks}, {@code /volumes}, {@code /images/json},
 * {@code /events} and {@code POST /containers/prune}, {@code /networks/prune},
 * {@code /volumes/prune}, {@code /images/prune}. The engine ANDs label filters, so the
 * client's own filters still apply. The socket gets exactly one {@code filters}, the
 * merged one; a repeated or malformed {@code filters}, and on a prune a form body the
 * engine would read first, are refused with 400, report-only mode or not.
 */
public class OwnerFilterQuery implements GlobalFilter, Ordered {

	private static final Pattern LIST = EnginePath.pattern("/(containers/json|networks|volumes|images/json|events)");

	private static final Pattern PRUNE = EnginePath.pattern("/(containers|networks|volumes|images)/prune");

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		RequestTarget target = GatewayExchange.target(exchange);
		ClientRules client = GatewayExchange.rules(exchange);
		if (target == null || client == null || client.scope().owner().isEmpty()) {
			return chain.filter(exchange);
		}
		HttpMethod method = exchange.getRequest().getMethod();
		boolean list = (method == HttpMethod.GET || method == HttpMethod.HEAD) && LIST.matcher(target.path()).matches();
		boolean prune = method == HttpMethod.POST && PRUNE.matcher(target.path()).matches();
		if (!list && !prune) {
			return chain.filter(exchange);
		}
		if (prune && EngineForm.hasFormBody(exchange.getRequest().getHeaders())) {
			return DenialResponse.send(exchange, EngineForm.FORM_BODY);
		}
		String filters;
		try {
			Map<String, List<String>> form = EngineForm.parse(target.rawQuery(), List.of("filters"));
			filters = EngineFilters.withLabel(EngineForm.first(form, "filters"),
					client.scope().ownerLabel() + "=" + client.scope().owner().get());
		}
		catch (IllegalArgumentException ex) {
			return DenialResponse.send(exchange, Denial.explained(HttpStatus.BAD_REQUEST, ex.getMessage()));
		}
		return chain.filter(RewrittenRequest.query(exchange, EngineForm.with(target.rawQuery(), "filters", filters)));
	}

	@Override
	public int getOrder() {
		return GatewayExchange.OWNER_FILTER;
	}

}
