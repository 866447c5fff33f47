package io.github.etcdgrpclb.balancer;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live meters of one service's routing, shared by every {@code weight} channel of the JVM to it:
 * the tagged calls no server with their tag could take (written on the pick path only then), and the
 * zone its calls come from.
 */
public final class ServiceMeters {

	final LongAdder tagFallbacks = new LongAdder();

	private volatile String callerZone;

	/** @return the zone this application calls from (routing.zone), or null */
	public String callerZone() {
		return this.callerZone;
	}

	void callerZone(String zone) {
		this.callerZone = zone;
	}

	/** @return tagged calls that went to untagged servers (or failed, in strict mode): none had the tag */
	public long tagFallbacks() {
		return this.tagFallbacks.sum();
	}

}
