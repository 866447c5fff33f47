package io.github.etcdgrpclb.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one configuration folder in step with etcd through a {@link PrefixWatch} (the name
 * resolver's failure rules: re-list after compaction or failure, periodic resync, lost and back
 * logged once), starting from the revision the folder was read at so that no change between the
 * startup read and the watch is lost, and hands every changed snapshot to a consumer. Replayed
 * events change nothing (the prefix watch leaves them out).
 * <p>
 * Every field below the constructor's is confined to the watcher's SynchronizationContext.
 */
final class ConfigFolderWatch implements PrefixWatch.Listener {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFolderWatch.class);

	private final String folder;

	private final SynchronizationContext syncContext;

	private final Consumer<ConfigFolderSnapshot> changes;

	private final PrefixWatch watch;

	private SortedMap<String, String> entries = new TreeMap<>();

	private long appliedRevision;

	private volatile ConfigFolderStatus status;

	ConfigFolderWatch(String folder, Client client, ConfigWatchSettings settings, SynchronizationContext syncContext,
			ScheduledExecutorService timer, Consumer<ConfigFolderSnapshot> changes) {
		this.folder = folder;
		this.syncContext = syncContext;
		this.changes = changes;
		this.watch = new PrefixWatch(client, folder, settings.requestTimeout(), settings.resyncInterval(), syncContext,
				timer, this);
		this.status = new ConfigFolderStatus(folder, 0, 0, null, false, null);
	}

	/** Starts from what the application was started with: watches on from it, or lists when etcd was never read. */
	void start(ConfigFolderSnapshot initial) {
		this.syncContext.execute(() -> {
			if (initial.isRead()) {
				this.entries = new TreeMap<>(initial.entries());
				this.appliedRevision = initial.revision();
				this.status = new ConfigFolderStatus(this.folder, this.appliedRevision, this.entries.size(), null, true, null);
				this.watch.startAfter(this.appliedRevision);
			}
			else {
				this.watch.start();
			}
		});
	}

	void close() {
		this.syncContext.execute(this.watch::close);
	}

	ConfigFolderStatus status() {
		return this.status;
	}

	@Override
	public void listed(GetResponse response) {
		this.appliedRevision = response.getHeader().getRevision();
		update(ConfigFolderReader.entries(this.folder, response));
	}

	@Override
	public void changed(List<WatchEvent> events, long revision) {
		SortedMap<String, String> updated = new TreeMap<>(this.entries);
		this.appliedRevision = revision;
		for (WatchEvent event : events) {
			KeyValue kv = event.getKeyValue();
			String key = text(kv.getKey()).substring(this.folder.length());
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				updated.remove(key);
			}
			else if (event.getEventType() == WatchEvent.EventType.PUT) {
				updated.put(key, text(kv.getValue()));
			}
		}
		update(updated);
	}

	@Override
	public void listFailed(String reason, Throwable error) {
		this.status = this.status.disconnected(reason);
	}

	@Override
	public void watchFailed(Throwable error) {
		// Listed again by the prefix watch; the last values stay meanwhile.
	}

	@Override
	public void etcdLost(String reason) {
		logger.warn("{}; the application keeps its last configuration values until etcd answers", reason);
	}

	@Override
	public void etcdBack() {
		logger.info("etcd answers again for configuration {}", this.folder);
	}

	private void update(SortedMap<String, String> latest) {
		boolean changed = !latest.equals(this.entries);
		ConfigFolderStatus previous = this.status;
		this.status = new ConfigFolderStatus(this.folder, this.appliedRevision, latest.size(),
				changed ? Instant.now() : previous.lastChange(), true, null);
		if (changed) {
			this.entries = latest;
			this.changes.accept(new ConfigFolderSnapshot(this.folder, this.appliedRevision, latest));
		}
	}

}
