package dev.socketproxy.access;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.filter.AdaptCachedBodyGlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayExchangeTest {

	/** The orders are a list a request meets from top to bottom, Spring Cloud Gateway's filters where named. */
	@Test
	void theOrdersFollowTheListsSequence() {
		assertThat(new int[] { GatewayExchange.REQUEST_METRICS, GatewayExchange.ADMISSION,
				GatewayExchange.BODY_FAILURE, GatewayExchange.LEARN, GatewayExchange.REQUEST_BODY,
				GatewayExchange.IMAGE_REQUEST, GatewayExchange.OBJECT_SCOPE, GatewayExchange.REDACT_ENV,
				GatewayExchange.VISIBLE_CONTAINERS, new AdaptCachedBodyGlobalFilter().getOrder(),
				GatewayExchange.EARLY_RESPONSE_HEADERS,
				NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER, GatewayExchange.SOCKET_UNREACHABLE,
				GatewayExchange.UPGRADE_TUNNEL, GatewayExchange.UPSTREAM_METRICS,
				RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER })
			.isSorted()
			.doesNotHaveDuplicates();
	}

}
