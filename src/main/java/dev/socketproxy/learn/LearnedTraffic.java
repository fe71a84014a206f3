package dev.socketproxy.learn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketproxy.config.AccessRules;

/**
 * What learn mode has seen: per client, per method, the generalised path patterns.
 * Paths are generalised as they arrive, so memory grows with the number of distinct
 * patterns, not of requests or object IDs, and both clients and patterns per client are
 * capped; what a cap turned away is counted and reported, never silently lost.
 */
final class LearnedTraffic {

	private final int maxClients;

	private final int maxPatternsPerClient;

	private final Map<String, ClientTraffic> clients = new ConcurrentHashMap<>();

	private final AtomicLong droppedClientRequests = new AtomicLong();

	/** Bumped on every new pattern, so a reporter knows whether there is anything new to say. */
	private final AtomicLong generation = new AtomicLong();

	LearnedTraffic(int maxClients, int maxPatternsPerClient) {
		this.maxClients = maxClients;
		this.maxPatternsPerClient = maxPatternsPerClient;
	}

	/**
	 * Records one request.
	 * @param client the TCP peer's IP, or {@code unix}
	 * @param method the HTTP method as sent
	 * @param path the canonical decoded path, without the query
	 * @return whether it taught something new (a new pattern for this client)
	 */
	boolean record(String client, String method, String path) {
		ClientTraffic traffic = this.clients.get(client);
		if (traffic == null) {
			synchronized (this.clients) {
				traffic = this.clients.get(client);
				if (traffic == null) {
					if (this.clients.size() >= this.maxClients) {
						this.droppedClientRequests.incrementAndGet();
						return false;
					}
					traffic = new ClientTraffic();
					this.clients.put(client, traffic);
				}
			}
		}
		if (!AccessRules.METHODS.contains(method)) {
			traffic.unsupportedMethod.incrementAndGet();
			return false;
		}
		boolean learned = traffic.add(new Rule(method, PathGeneraliser.generalise(path)), this.maxPatternsPerClient);
		if (learned) {
			this.generation.incrementAndGet();
		}
		return learned;
	}

	long generation() {
		return this.generation.get();
	}

	/** Requests from clients beyond the cap on clients: not learned. */
	long droppedClientRequests() {
		return this.droppedClientRequests.get();
	}

	/** The minimal rules per client (sorted by client), each method's rules sorted. */
	Map<String, LearnedRules> snapshot() {
		Map<String, LearnedRules> snapshot = new TreeMap<>();
		this.clients.forEach((client, traffic) -> snapshot.put(client, traffic.rules()));
		return snapshot;
	}

	private record Rule(String method, PathPattern pattern) {
	}

	/**
	 * What one client needs.
	 *
	 * @param allow per method, in the reference's method order, the sorted rules
	 * @param droppedPatterns new patterns turned away by the cap
	 * @param unsupportedMethods requests whose method no rule can name
	 */
	record LearnedRules(Map<String, List<String>> allow, long droppedPatterns, long unsupportedMethods) {
	}

	private static final class ClientTraffic {

		private final Set<Rule> rules = ConcurrentHashMap.newKeySet();

		private final AtomicLong droppedPatterns = new AtomicLong();

		private final AtomicLong unsupportedMethod = new AtomicLong();

		boolean add(Rule rule, int max) {
			if (this.rules.contains(rule)) {
				return false;
			}
			synchronized (this) {
				// Another thread may have added it since the check above; it is known, not dropped.
				if (this.rules.contains(rule)) {
					return false;
				}
				if (this.rules.size() >= max) {
					this.droppedPatterns.incrementAndGet();
					return false;
				}
				return this.rules.add(rule);
			}
		}

		LearnedRules rules() {
			Map<String, List<PathPattern>> byMethod = new TreeMap<>();
			for (Rule rule : new HashSet<>(this.rules)) {
				byMethod.computeIfAbsent(rule.method(), (method) -> new ArrayList<>()).add(rule.pattern());
			}
			Map<String, List<String>> allow = new LinkedHashMap<>();
			for (String method : AccessRules.METHODS) {
				List<PathPattern> patterns = byMethod.get(method);
				if (patterns != null) {
					allow.put(method, minimal(patterns));
				}
			}
			return new LearnedRules(allow, this.droppedPatterns.get(), this.unsupportedMethod.get());
		}

		/** Drops each pattern another one covers (of two equal ones, one stays), then sorts. */
		private static List<String> minimal(List<PathPattern> patterns) {
			List<String> kept = new ArrayList<>();
			for (int i = 0; i < patterns.size(); i++) {
				PathPattern candidate = patterns.get(i);
				boolean covered = false;
				for (int j = 0; j < patterns.size() && !covered; j++) {
					PathPattern other = patterns.get(j);
					covered = j != i && candidate.coveredBy(other) && (!other.coveredBy(candidate) || j < i);
				}
				if (!covered) {
					kept.add(candidate.regex());
				}
			}
			return kept.stream().distinct().sorted().toList();
		}

	}

}
