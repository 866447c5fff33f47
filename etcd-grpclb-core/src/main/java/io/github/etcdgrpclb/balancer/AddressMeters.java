package io.github.etcdgrpclb.balancer;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live meters of one address of a service, shared by every {@code weight} channel of the JVM to
 * it: the picks only grow while any channel uses the address. Written by pickers and balancers, read
 * by the metrics from any thread.
 */
public final class AddressMeters {

	final LongAdder picks = new LongAdder();

	final LongAdder ejections = new LongAdder();

	private volatile double effectiveWeight = Double.NaN;

	private volatile String zone;

	/** @return how many calls the pickers sent to the address */
	public long picks() {
		return this.picks.sum();
	}

	/** @return how often a balancer ejected the address for failing */
	public long ejections() {
		return this.ejections.sum();
	}

	/**
	 * @return the weight the latest balancer to judge the address gave it (etcd's weight times its
	 * health factor; 0 while ejected), NaN before any did
	 */
	public double effectiveWeight() {
		return this.effectiveWeight;
	}

	void effectiveWeight(double weight) {
		this.effectiveWeight = weight;
	}

	/** @return the zone the address's server published, or null */
	public String zone() {
		return this.zone;
	}

	void zone(String newZone) {
		this.zone = newZone;
	}

}
