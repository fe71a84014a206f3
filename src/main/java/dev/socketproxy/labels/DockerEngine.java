package dev.socketproxy.labels;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import dev.socketproxy.config.IpLiterals;

/**
 * The Docker engine API calls the proxy makes itself (the label allowlists' scans, the
 * object scopes' inspects, the event streams both follow), over the socket the proxy
 * forwards to, with the gateway's own Unix-socket HTTP client. Paths carry no API
 * version: the engine then answers in its own, and the fields read here exist in all.
 * Every call carries {@link #USER_AGENT}, so what reaches the socket without a client's
 * request can be told apart.
 */
public class DockerEngine {

	/** The {@code User-Agent} of every call the proxy makes on its own. */
	public static final String USER_AGENT = "socket-proxy-lookup";

	/** The host is never dialed: the client's connection provider substitutes the socket. */
	private static final String BASE = "http://docker";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** One event is a few hundred bytes; a line this long means the stream is not what we think. */
	static final int MAX_LINE = 1024 * 1024;

	/** Splits at {@code \n} and {@code \r\n}, decoding UTF-8. */
	private static final StringDecoder LINES = StringDecoder.allMimeTypes();

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	static {
		LINES.setMaxInMemorySize(MAX_LINE);
	}

	private final HttpClient client;

	public DockerEngine(HttpClient client) {
		this.client = client.headers((headers) -> headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT));
	}

	/**
	 * The engine's JSON answer to {@code GET path}, empty if it answers 404.
	 * @param path an inspect path without version, its references already percent-encoded
	 */
	public Mono<Optional<JsonNode>> inspect(String path) {
		return this.client.get()
			.uri(BASE + path)
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((text) -> {
				if (response.status().code() == 404) {
					return Mono.just(Optional.<JsonNode>empty());
				}
				if (response.status().code() != 200) {
					return Mono.error(new EngineException("GET " + path + " answered " + response.status().code() + ": " + text.strip()));
				}
				return Mono.just(Optional.of(JSON.readTree(text)));
			}));
	}

	/** Running containers matching the engine-side {@code filters} (values of one key are alternatives). */
	public Mono<List<Container>> containers(Map<String, List<String>> filters) {
		return this.client.get()
			.uri(BASE + "/containers/json?filters=" + encode(filters))
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((text) -> {
				if (response.status().code() != 200) {
					return Mono.error(new EngineException("GET /containers/json answered " + response.status().code() + ": " + text.strip()));
				}
				return Mono.just(containers(JSON.readTree(text)));
			}));
	}

	/** The subnets (CIDR) of the networks with these IDs. */
	public Mono<List<String>> subnets(Collection<String> networkIds) {
		return this.client.get()
			.uri(BASE + "/networks?filters=" + encode(Map.of("id", List.copyOf(networkIds))))
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((text) -> {
				if (response.status().code() != 200) {
					return Mono.error(new EngineException("GET /networks answered " + response.status().code() + ": " + text.strip()));
				}
				List<String> subnets = new ArrayList<>();
				for (JsonNode network : JSON.readTree(text)) {
					// The engine's id filter matches prefixes.
					if (networkIds.contains(network.path("Id").asString(""))) {
						network.path("IPAM").path("Config").forEach((config) -> {
							String subnet = config.path("Subnet").asString("");
							if (!subnet.isEmpty()) {
								subnets.add(subnet);
							}
						});
					}
				}
				return Mono.just(List.copyOf(subnets));
			}));
	}

	/**
	 * The engine's event stream, filtered engine-side. Emits {@link Event#SUBSCRIBED} once
	 * the engine has accepted the subscription, then each event as it comes; completes or
	 * fails when the stream ends.
	 */
	public Flux<Event> events(Map<String, List<String>> filters) {
		return this.client.get().uri(BASE + "/events?filters=" + encode(filters)).response((response, body) -> {
			if (response.status().code() != 200) {
				return body.aggregate().asString().defaultIfEmpty("").flatMapMany((text) -> Flux.<Event>error(
						new EngineException("GET /events answered " + response.status().code() + ": " + text.strip())));
			}
			// Retained: the decoder keeps a chunk that ends inside a line past its delivery.
			return Flux.just(Event.SUBSCRIBED)
				.concatWith(jsonLines(body.retain().map(BUFFERS::wrap)).map((line) -> event(JSON.readTree(line))));
		});
	}

	/**
	 * The event stream's lines, one JSON object each, however the chunks fall; blank lines
	 * are skipped. A line longer than {@link #MAX_LINE} fails the stream.
	 */
	public static Flux<String> jsonLines(Flux<DataBuffer> chunks) {
		return LINES.decode(chunks, ResolvableType.forClass(String.class), null, null)
			.map(String::strip)
			.filter((line) -> !line.isEmpty());
	}

	private static String encode(Map<String, List<String>> filters) {
		return URLEncoder.encode(JSON.writeValueAsString(filters), StandardCharsets.UTF_8);
	}

	private static List<Container> containers(JsonNode list) {
		List<Container> containers = new ArrayList<>();
		for (JsonNode node : list) {
			List<String> names = new ArrayList<>();
			node.path("Names").forEach((name) -> names.add(name.asString()));
			Map<String, String> labels = new LinkedHashMap<>();
			node.path("Labels").properties().forEach((label) -> labels.put(label.getKey(), label.getValue().asString()));
			Map<String, List<InetAddress>> networks = new LinkedHashMap<>();
			node.path("NetworkSettings").path("Networks").properties().forEach((network) -> {
				List<InetAddress> addresses = new ArrayList<>();
				for (String field : List.of("IPAddress", "GlobalIPv6Address")) {
					String address = network.getValue().path(field).asString("");
					if (IpLiterals.isIpLiteral(address)) {
						addresses.add(IpLiterals.parse(address));
					}
				}
				networks.put(network.getValue().path("NetworkID").asString(network.getKey()), List.copyOf(addresses));
			});
			containers.add(new Container(node.path("Id").asString(""), List.copyOf(names), Map.copyOf(labels), Map.copyOf(networks)));
		}
		return List.copyOf(containers);
	}

	private static Event event(JsonNode node) {
		JsonNode actor = node.path("Actor");
		return new Event(node.path("Type").asString(""), node.path("Action").asString(""), actor.path("ID").asString(""),
				actor.path("Attributes").path("name").asString(""));
	}

	/**
	 * A running container as {@code GET /containers/json} lists it.
	 *
	 * @param id full container ID
	 * @param names its names, each with Docker's leading {@code /}
	 * @param labels all its labels
	 * @param networks network ID to the container's addresses on that network
	 */
	public record Container(String id, List<String> names, Map<String, String> labels,
			Map<String, List<InetAddress>> networks) {

		/** Whether {@code name} is exactly one of its names (Docker lists them with a leading {@code /}). */
		public boolean isNamed(String name) {
			return this.names.stream().anyMatch((n) -> n.equals(name) || n.equals("/" + name));
		}

		/** Its name for logs: the first name without the slash, else the short ID. */
		public String displayName() {
			return this.names.isEmpty() ? this.id.substring(0, Math.min(12, this.id.length()))
					: this.names.get(0).replaceFirst("^/", "");
		}

	}

	/**
	 * One engine event.
	 *
	 * @param type {@code container}, {@code network}, ...
	 * @param action {@code start}, {@code connect}, ...
	 * @param actorId the container's or network's ID
	 * @param actorName the container's or network's name
	 */
	public record Event(String type, String action, String actorId, String actorName) {

		/** Not from the engine: marks that the engine has accepted the subscription. */
		public static final Event SUBSCRIBED = new Event("", "subscribed", "", "");

	}

	/** The engine answered, but not with what was asked for. */
	public static class EngineException extends RuntimeException {

		public EngineException(String message) {
			super(message);
		}

	}

}
