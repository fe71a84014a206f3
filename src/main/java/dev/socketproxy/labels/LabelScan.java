package dev.socketproxy.labels;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import reactor.core.publisher.Mono;

import dev.socketproxy.access.ClientRules;
import dev.socketproxy.access.IpRange;
import dev.socketproxy.config.InvalidConfigurationException;
import dev.socketproxy.labels.DockerEngine.Container;

/**
 * One look at the engine: find the proxy's own container by its exact name, take its
 * networks, and translate the labels of every running container on them. A container
 * whose labels are invalid is left out (and reported), the others are not affected.
 */
public class LabelScan {

	private final DockerEngine engine;

	private final String proxyContainerName;

	private final ContainerLabels labels;

	public LabelScan(DockerEngine engine, String proxyContainerName, ContainerLabels labels) {
		this.engine = engine;
		this.proxyContainerName = proxyContainerName;
		this.labels = labels;
	}

	public Mono<Result> run() {
		// The engine's name filter matches substrings (and as a regex): only an exact name counts.
		return this.engine.containers(Map.of("name", List.of(this.proxyContainerName)))
			.map((candidates) -> candidates.stream().filter((c) -> c.isNamed(this.proxyContainerName)).findFirst())
			.flatMap((proxy) -> proxy.isEmpty() ? Mono.just(Result.NO_PROXY_CONTAINER) : labelled(proxy.get()));
	}

	private Mono<Result> labelled(Container proxy) {
		Set<String> networks = proxy.networks().keySet();
		if (networks.isEmpty()) {
			return Mono.just(new Result(true, List.of(), Map.of(), Map.of()));
		}
		return this.engine.subnets(networks)
			.zipWith(this.engine.containers(Map.of("network", List.copyOf(networks))))
			.map((found) -> result(networks, found.getT1(), found.getT2()));
	}

	private Result result(Set<String> networks, List<String> subnets, List<Container> containers) {
		Map<String, LabelledContainer> byId = new LinkedHashMap<>();
		Map<String, InvalidContainer> invalid = new LinkedHashMap<>();
		for (Container container : containers) {
			Optional<ClientRules> rules;
			try {
				rules = this.labels.rules(container.displayName(), container.labels());
			}
			catch (InvalidConfigurationException ex) {
				invalid.put(container.id(),
						new InvalidContainer(container.displayName(), ex.getKey(), ex.getValue(), ex.getReason()));
				continue;
			}
			rules.ifPresent((found) -> {
				List<InetAddress> addresses = new ArrayList<>();
				container.networks().forEach((network, ips) -> {
					if (networks.contains(network)) {
						addresses.addAll(ips);
					}
				});
				byId.put(container.id(), new LabelledContainer(container.id(), List.copyOf(addresses), found));
			});
		}
		return new Result(true, subnets.stream().map(IpRange::parse).toList(), Map.copyOf(byId), Map.copyOf(invalid));
	}

	/**
	 * What one scan found.
	 *
	 * @param proxyContainerFound whether the proxy's own container is running
	 * @param subnets the subnets of the proxy container's networks
	 * @param containers by container ID, the containers on those networks with valid allow labels
	 * @param invalid by container ID, the containers on those networks whose allow labels are invalid
	 */
	public record Result(boolean proxyContainerFound, List<IpRange> subnets, Map<String, LabelledContainer> containers,
			Map<String, InvalidContainer> invalid) {

		static final Result NO_PROXY_CONTAINER = new Result(false, List.of(), Map.of(), Map.of());

		/** Whether a container could have this address: only then may an unknown caller be worth a rescan. */
		public boolean mayHold(InetAddress address) {
			return this.subnets.stream().anyMatch((subnet) -> subnet.contains(address));
		}

		/** Each address of a labelled container to its rules. */
		public Map<InetAddress, ClientRules> byAddress() {
			Map<InetAddress, ClientRules> byAddress = new LinkedHashMap<>();
			this.containers.values().forEach((c) -> c.addresses().forEach((address) -> byAddress.put(address, c.rules())));
			return Map.copyOf(byAddress);
		}

	}

	/**
	 * A container that gets rules of its own.
	 *
	 * @param id full container ID
	 * @param addresses its addresses on the proxy's networks
	 * @param rules what its labels allow
	 */
	public record LabelledContainer(String id, List<InetAddress> addresses, ClientRules rules) {
	}

	/**
	 * A container whose allow labels cannot be used; it gets no rules.
	 *
	 * @param name its name
	 * @param label the first offending label
	 * @param value that label's value
	 * @param reason what is wrong with it
	 */
	public record InvalidContainer(String name, String label, String value, String reason) {
	}

}
