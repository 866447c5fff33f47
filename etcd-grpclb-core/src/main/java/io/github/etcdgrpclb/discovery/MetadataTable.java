package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata the servers of one service published under {@code <prefix>-meta/<service>/}, by
 * address. A value that is not a JSON object is skipped with one warning and one count per key: its
 * server then counts as one without metadata, it is not dropped. Confined to the resolver's
 * SynchronizationContext.
 */
final class MetadataTable {

	private static final Logger logger = LoggerFactory.getLogger(MetadataTable.class);

	private final String prefix;

	private final DiscoveryStats stats;

	private Map<String, InstanceMetadata> byAddress = Map.of();

	MetadataTable(String prefix, DiscoveryStats stats) {
		this.prefix = prefix;
		this.stats = stats;
	}

	/** @return the prefix the table reads */
	String prefix() {
		return this.prefix;
	}

	/** @return the metadata of the server at {@code host:port}, none when it published none */
	InstanceMetadata of(String address) {
		return this.byAddress.getOrDefault(address, InstanceMetadata.NONE);
	}

	boolean isEmpty() {
		return this.byAddress.isEmpty();
	}

	void replaceAll(List<KeyValue> kvs) {
		Map<String, InstanceMetadata> listed = new HashMap<>();
		kvs.forEach((kv) -> put(listed, kv));
		this.byAddress = listed;
	}

	void apply(List<WatchEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		Map<String, InstanceMetadata> updated = new HashMap<>(this.byAddress);
		for (WatchEvent event : events) {
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				updated.remove(text(event.getKeyValue().getKey()).substring(this.prefix.length()));
			}
			else {
				put(updated, event.getKeyValue());
			}
		}
		this.byAddress = updated;
	}

	private void put(Map<String, InstanceMetadata> into, KeyValue kv) {
		String key = text(kv.getKey());
		String address = key.substring(this.prefix.length());
		try {
			into.put(address, InstanceMetadata.parse(text(kv.getValue())));
		}
		catch (IllegalArgumentException ex) {
			into.remove(address);
			this.stats.recordMalformed();
			logger.warn("Skipping the metadata in etcd key {}: {}", key, ex.getMessage());
		}
	}

}
