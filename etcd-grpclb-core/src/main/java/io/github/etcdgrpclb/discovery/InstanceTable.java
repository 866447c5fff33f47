package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.NewEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one service as etcd last described them, and the revision that description is
 * at. A full list replaces them; watch events at or below the applied revision are ignored, so a
 * replayed event (jetcd resends the last one after a reconnect) changes nothing. Malformed keys are
 * skipped with one warning and one count per key.
 * <p>
 * Not thread safe: confined to the resolver's SynchronizationContext.
 */
final class InstanceTable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceTable.class);

	private static final int MAX_WARNED_KEYS = 10_000;

	private final ServiceInstanceParser parser;

	private final DiscoveryStats stats;

	private final Set<String> warnedKeys = new HashSet<>();

	private SortedMap<String, ServiceInstance> instances = new TreeMap<>();

	private long appliedRevision;

	InstanceTable(ServiceInstanceParser parser, DiscoveryStats stats) {
		this.parser = parser;
		this.stats = stats;
	}

	/** @return the instances by key, in key order (a snapshot: later changes do not show in it) */
	SortedMap<String, ServiceInstance> instances() {
		return this.instances;
	}

	/** @return the etcd revision the instances are at */
	long appliedRevision() {
		return this.appliedRevision;
	}

	/**
	 * Replaces every instance with a full list.
	 * @param kvs the listed keys and values
	 * @param revision the list's header revision
	 */
	void replaceAll(List<KeyValue> kvs, long revision) {
		SortedMap<String, ServiceInstance> listed = new TreeMap<>();
		for (KeyValue kv : kvs) {
			parse(kv).ifPresent((instance) -> listed.put(instance.key(), instance));
		}
		this.appliedRevision = revision;
		this.instances = listed;
	}

	/** Applies the events of one watch response. */
	void apply(List<WatchEvent> events) {
		SortedMap<String, ServiceInstance> updated = new TreeMap<>(this.instances);
		List<WatchEvent> fresh = NewEvents.after(this.appliedRevision, events);
		this.appliedRevision = NewEvents.lastRevision(this.appliedRevision, fresh);
		for (WatchEvent event : fresh) {
			KeyValue kv = event.getKeyValue();
			String key = text(kv.getKey());
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				updated.remove(key);
			}
			else if (event.getEventType() == WatchEvent.EventType.PUT) {
				parse(kv).ifPresentOrElse((instance) -> updated.put(key, instance), () -> updated.remove(key));
			}
		}
		this.instances = updated;
	}

	private Optional<ServiceInstance> parse(KeyValue kv) {
		String key = text(kv.getKey());
		try {
			return Optional.of(this.parser.parse(key, text(kv.getValue())));
		}
		catch (ServiceInstanceParser.MalformedInstanceException ex) {
			if (this.warnedKeys.size() < MAX_WARNED_KEYS && this.warnedKeys.add(key)) {
				this.stats.recordMalformed();
				logger.warn("Skipping etcd key {}: {}", abbreviate(key), ex.getMessage());
			}
			return Optional.empty();
		}
	}

	private static String abbreviate(String key) {
		String printable = key.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > 200) ? printable.substring(0, 200) + "..." : printable;
	}

}
