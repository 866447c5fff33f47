package io.github.etcdgrpclb.balancer;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.github.etcdgrpclb.etcd.InstanceMetadata;

/**
 * The weight of an address, carried in its {@link EquivalentAddressGroup} attributes from the resolver
 * to the {@code weight} balancer. grpc-java's own {@code ATTR_WEIGHT} is internal, so we define ours.
 */
public final class WeightAttributes {

	/** The weight of an address group: an integer of 1 or more. */
	public static final Attributes.Key<Integer> WEIGHT = Attributes.Key.create("io.github.etcdgrpclb.weight");

	/** What the server of an address group published of itself (zone, version, tags); absent: nothing. */
	public static final Attributes.Key<InstanceMetadata> METADATA = Attributes.Key
		.create("io.github.etcdgrpclb.metadata");

	/**
	 * The etcd service name of a resolution result (its attributes), so that the balancer's meters carry
	 * the same {@code service} tag as the resolver's, not the channel authority derived from it.
	 */
	public static final Attributes.Key<String> SERVICE = Attributes.Key.create("io.github.etcdgrpclb.service");

	private WeightAttributes() {
	}

	/**
	 * @param group an address group
	 * @param maxWeight the largest weight to accept
	 * @return its weight clamped to 1..maxWeight, 1 when absent
	 */
	public static int weightOf(EquivalentAddressGroup group, int maxWeight) {
		Integer weight = group.getAttributes().get(WEIGHT);
		return (weight == null) ? 1 : Math.max(1, Math.min(maxWeight, weight));
	}

	/**
	 * @param group an address group
	 * @return the metadata its server published, none when absent
	 */
	public static InstanceMetadata metadataOf(EquivalentAddressGroup group) {
		InstanceMetadata metadata = group.getAttributes().get(METADATA);
		return (metadata != null) ? metadata : InstanceMetadata.NONE;
	}

}
