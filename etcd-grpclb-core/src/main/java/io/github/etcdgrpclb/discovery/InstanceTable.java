package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances of one service as etcd last described them. A full list replaces them; watch events
 * (only new ones: the prefix watch leaves replayed ones out) change them. Malformed keys are skipped
 * with one warning and one count per key.
 * <p>
 * Instances are kept in hash maps in the order etcd listed them (new keys last), not in sorted maps:
 * a full list of 10,000 instances then costs no key comparisons, and readers that want key order
 * (the actuator endpoint) sort what they show. Each change makes a new map; a map handed out is
 * never changed afterwards.
 * <p>
 * Not thread safe: confined to the resolver's SynchronizationContext.
 */
final class InstanceTable {

	private static final Logger logger = LoggerFactory.getLogger(InstanceTable.class);

	private static final int MAX_WARNED_KEYS = 10_000;

	private final ServiceInstanceParser parser;

	private final DiscoveryStats stats;

	private final Set<String> warnedKeys = new HashSet<>();

	private Map<String, ServiceInstance> instances = Map.of();

	InstanceTable(ServiceInstanceParser parser, DiscoveryStats stats) {
		this.parser = parser;
		this.stats = stats;
	}

	/** @return the instances by key (a snapshot: later changes do not show in it) */
	Map<String, ServiceInstance> instances() {
		return this.instances;
	}

	/**
	 * Replaces every instance with a full list.
	 * @param kvs the listed keys and values
	 */
	void replaceAll(List<KeyValue> kvs) {
		Map<String, ServiceInstance> listed = new LinkedHashMap<>(capacityFor(kvs.size()));
		for (KeyValue kv : kvs) {
			parse(kv).ifPresent((instance) -> listed.put(instance.key(), instance));
		}
		this.instances = listed;
	}

	/** Applies the new events of one watch response (none: the instances, and their map, stay as they are). */
	void apply(List<WatchEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		Map<String, ServiceInstance> updated = new LinkedHashMap<>(this.instances);
		for (WatchEvent event : events) {
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

	/** @return a hash map capacity that holds {@code entries} without rehashing */
	private static int capacityFor(int entries) {
		return (int) (entries / 0.75f) + 1;
	}

	private static String abbreviate(String key) {
		String printable = key.replaceAll("\\p{Cntrl}", "?");
		return (printable.length() > 200) ? printable.substring(0, 200) + "..." : printable;
	}

}
