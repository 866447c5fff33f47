package io.github.etcdgrpclb.balancer;

/**
 * Which servers a call may go to, by what they published of themselves (their metadata). Every rule
 * only narrows the servers a call goes to while that subset has a ready server: no call fails because
 * of a routing rule, except a tagged call in strict mode.
 *
 * @param zone the caller's zone; null: calls go to every zone by weight
 * @param minLocalPercent the share of the local zone's weight (in etcd) that must be ready and healthy
 * for calls to stay in the zone; below it they spread over every zone by weight (0: stay while any
 * local server is ready). A server without a zone counts as every zone's.
 * @param isolateTagged whether servers with tags serve only calls carrying one of them, while an
 * untagged server is ready (a canary stays out of ordinary traffic)
 * @param strictTags whether a tagged call with no ready server carrying its tag fails (UNAVAILABLE)
 * instead of going to the untagged servers
 */
public record RoutingPolicy(String zone, int minLocalPercent, boolean isolateTagged, boolean strictTags) {

	/** No zone, tagged servers isolated, tagged calls fall back. */
	public static final RoutingPolicy DEFAULT = new RoutingPolicy(null, 50, true, false);

	public RoutingPolicy {
		if (zone != null && zone.isBlank()) {
			zone = null;
		}
		if (minLocalPercent < 0 || minLocalPercent > 100) {
			throw new IllegalArgumentException("routing minLocalPercent must be from 0 to 100");
		}
	}

	/** @return this policy for a caller in another zone */
	public RoutingPolicy inZone(String newZone) {
		return new RoutingPolicy(newZone, this.minLocalPercent, this.isolateTagged, this.strictTags);
	}

}
