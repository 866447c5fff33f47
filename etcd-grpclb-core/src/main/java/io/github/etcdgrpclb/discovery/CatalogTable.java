package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every registration under a registry prefix as etcd last described it: the raw keys and the
 * metadata beside them, read into services and instances by the same rules as one service's resolver
 * (the Go tutorial's values, malformed keys skipped with one warning and one count each). A change
 * rebuilds the whole snapshot: catalogs change when servers come and go, not per call.
 * <p>
 * Not thread safe: confined to the catalog's SynchronizationContext.
 */
final class CatalogTable {

	private static final Logger logger = LoggerFactory.getLogger(CatalogTable.class);

	private static final int MAX_WARNED_KEYS = 10_000;

	private final String prefix;

	private final String metadataPrefix;

	private final int maxWeight;

	private final DiscoveryStats stats;

	private final Set<String> warnedKeys = new HashSet<>();

	private Map<String, String> values = new HashMap<>();

	private Map<String, String> metadata = new HashMap<>();

	/**
	 * @param prefix the registry prefix with its trailing slash, {@code /grpclb/}
	 * @param metadataPrefix the metadata prefix with its trailing slash, {@code /grpclb-meta/}
	 */
	CatalogTable(String prefix, String metadataPrefix, int maxWeight, DiscoveryStats stats) {
		this.prefix = prefix;
		this.metadataPrefix = metadataPrefix;
		this.maxWeight = maxWeight;
		this.stats = stats;
	}

	void replaceKeys(List<KeyValue> kvs) {
		this.values = read(kvs);
	}

	void applyKeys(List<WatchEvent> events) {
		this.values = applied(this.values, events);
	}

	void replaceMetadata(List<KeyValue> kvs) {
		this.metadata = read(kvs);
	}

	void applyMetadata(List<WatchEvent> events) {
		this.metadata = applied(this.metadata, events);
	}

	/** @return service name -> its instances by address, both in name order */
	Map<String, List<ServiceInstance>> snapshot() {
		Map<String, List<ServiceInstance>> services = new TreeMap<>();
		this.values.forEach((key, value) -> instance(key, value)
			.ifPresent((instance) -> services.computeIfAbsent(serviceOf(key), (name) -> new ArrayList<>()).add(instance)));
		services.replaceAll((name, instances) -> {
			instances.sort(Comparator.comparing(ServiceInstance::address));
			return List.copyOf(instances);
		});
		return services;
	}

	private Optional<ServiceInstance> instance(String key, String value) {
		String service = serviceOf(key);
		try {
			if (service.isEmpty()) {
				throw new ServiceInstanceParser.MalformedInstanceException("no service name after " + this.prefix);
			}
			String servicePrefix = this.prefix + service + "/";
			ServiceInstance instance = new ServiceInstanceParser(servicePrefix, this.maxWeight).parse(key, value);
			String meta = this.metadata.get(this.metadataPrefix + service + "/" + instance.address());
			return Optional.of((meta != null) ? instance.withMetadata(metadataOf(meta)) : instance);
		}
		catch (ServiceInstanceParser.MalformedInstanceException ex) {
			warnOnce(key, ex.getMessage());
			return Optional.empty();
		}
	}

	private InstanceMetadata metadataOf(String json) {
		try {
			return InstanceMetadata.parse(json);
		}
		catch (IllegalArgumentException ex) {
			return InstanceMetadata.NONE; // the service's resolver warns and counts it
		}
	}

	private String serviceOf(String key) {
		int slash = key.indexOf('/', this.prefix.length());
		return (slash < 0) ? "" : key.substring(this.prefix.length(), slash);
	}

	private void warnOnce(String key, String reason) {
		if (this.warnedKeys.size() < MAX_WARNED_KEYS && this.warnedKeys.add(key)) {
			this.stats.recordMalformed();
			logger.warn("Skipping etcd key {} in the catalog: {}", key.replaceAll("\\p{Cntrl}", "?"), reason);
		}
	}

	private static Map<String, String> read(List<KeyValue> kvs) {
		Map<String, String> read = new HashMap<>();
		kvs.forEach((kv) -> read.put(text(kv.getKey()), text(kv.getValue())));
		return read;
	}

	private static Map<String, String> applied(Map<String, String> current, List<WatchEvent> events) {
		if (events.isEmpty()) {
			return current;
		}
		Map<String, String> updated = new HashMap<>(current);
		for (WatchEvent event : events) {
			String key = text(event.getKeyValue().getKey());
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				updated.remove(key);
			}
			else if (event.getEventType() == WatchEvent.EventType.PUT) {
				updated.put(key, text(event.getKeyValue().getValue()));
			}
		}
		return updated;
	}

}
