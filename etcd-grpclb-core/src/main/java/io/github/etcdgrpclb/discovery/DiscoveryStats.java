package io.github.etcdgrpclb.discovery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/** Counters of the resolvers of one provider, read by the metrics binder. */
public final class DiscoveryStats {

	private final LongAdder updates = new LongAdder();

	private final LongAdder malformedEntries = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final Map<String, Boolean> services = new ConcurrentHashMap<>();

	private final List<Consumer<String>> serviceListeners = new CopyOnWriteArrayList<>();

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

	/**
	 * Tells the listener of each service resolved so far and of each one resolved for the first time
	 * from now on (e.g. to register a gauge per service).
	 */
	public void onService(Consumer<String> listener) {
		this.serviceListeners.add(listener);
		this.services.keySet().forEach(listener);
	}

	void recordUpdate(String serviceName) {
		this.updates.increment();
		if (this.services.putIfAbsent(serviceName, Boolean.TRUE) == null) {
			this.serviceListeners.forEach((listener) -> listener.accept(serviceName));
		}
	}

	void recordMalformed() {
		this.malformedEntries.increment();
	}

	void recordError() {
		this.errors.increment();
	}

}
