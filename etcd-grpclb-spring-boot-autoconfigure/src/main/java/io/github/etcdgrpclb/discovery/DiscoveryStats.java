package io.github.etcdgrpclb.discovery;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the resolvers of one provider, read by the metrics binder. */
public final class DiscoveryStats {

	private final LongAdder updates = new LongAdder();

	private final LongAdder malformedEntries = new LongAdder();

	private final LongAdder errors = new LongAdder();

	/** @return how many address lists the resolvers pushed to their channels */
	public long updates() {
		return this.updates.sum();
	}

	/** @return how many etcd entries were skipped as malformed (each key counted once) */
	public long malformedEntries() {
		return this.malformedEntries.sum();
	}

	/** @return how many list or watch failures the resolvers met */
	public long errors() {
		return this.errors.sum();
	}

	void recordUpdate() {
		this.updates.increment();
	}

	void recordMalformed() {
		this.malformedEntries.increment();
	}

	void recordError() {
		this.errors.increment();
	}

}
