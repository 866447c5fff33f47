package io.github.etcdgrpclb.balancer;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.function.Function;
import java.util.function.Predicate;

import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;

/**
 * Builds a channel's picker from the servers calls may go to now (READY, not ejected) by the routing
 * policy: the caller's zone while it holds enough of the zone's weight ready, every zone otherwise;
 * untagged servers for untagged calls while one is ready (tagged servers isolated); one picker per tag.
 * Without a zone and without tags it is the plain weighted picker, so routing costs nothing then.
 */
final class Routes {

	private Routes() {
	}

	/**
	 * The picker and what it decided.
	 * @param picker the channel's picker
	 * @param description the decision in words, for the actuator endpoint
	 */
	record Decision(SubchannelPicker picker, String description) {
	}

	/**
	 * @param fleet every server of the channel, in any state
	 * @param candidates the servers calls may go to now
	 * @param policy the routing rules
	 * @param weighted makes the weighted picker of some candidates
	 * @param meters the service's routing meters
	 */
	static Decision route(Collection<Endpoint> fleet, List<Endpoint> candidates, RoutingPolicy policy,
			Function<List<Endpoint>, WeightedPicker> weighted, ServiceMeters meters) {
		List<Endpoint> untagged = candidates.stream().filter((server) -> server.metadata.tags().isEmpty()).toList();
		boolean isolate = policy.isolateTagged() && !untagged.isEmpty() && untagged.size() < candidates.size();
		List<Endpoint> pool = isolate ? untagged : candidates;
		Predicate<Endpoint> category = isolate ? (server) -> server.metadata.tags().isEmpty() : (server) -> true;
		WeightedPicker calls;
		String description;
		if (policy.zone() == null) {
			calls = weighted.apply(pool);
			description = "every zone (no zone set)";
		}
		else {
			Predicate<Endpoint> local = (server) -> server.metadata.zone() == null
					|| server.metadata.zone().equals(policy.zone());
			List<Endpoint> ready = pool.stream().filter(local).toList();
			long zoneWeight = fleet.stream().filter(category.and(local)).mapToLong((server) -> server.weight).sum();
			long readyWeight = ready.stream().mapToLong((server) -> server.weight).sum();
			boolean stay = !ready.isEmpty() && readyWeight * 100 >= zoneWeight * policy.minLocalPercent();
			calls = weighted.apply(stay ? ready : pool);
			description = String.format("zone %s: %s, %d of %d local weight ready", policy.zone(),
					stay ? "local" : "spilling over to every zone", readyWeight, zoneWeight);
		}
		Map<String, WeightedPicker> byTag = new LinkedHashMap<>();
		candidates.stream()
			.flatMap((server) -> server.metadata.tags().stream())
			.distinct()
			.forEach((tag) -> byTag.put(tag,
					weighted.apply(candidates.stream().filter((server) -> server.metadata.tags().contains(tag)).toList())));
		if (byTag.isEmpty()) {
			return new Decision(calls, description);
		}
		SubchannelPicker fallback = policy.strictTags() ? new FixedPickers.ErrorPicker(Status.UNAVAILABLE
			.withDescription("No ready server carries the call's grpclb-tag (strict tag routing)")) : calls;
		return new Decision(new RoutingPicker(calls, byTag, fallback, meters),
				description + "; tags " + String.join(", ", byTag.keySet()) + (isolate ? " (isolated)" : ""));
	}


}
