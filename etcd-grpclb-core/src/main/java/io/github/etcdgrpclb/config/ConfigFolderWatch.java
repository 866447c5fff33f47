package io.github.etcdgrpclb.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdChannels;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one configuration folder in step with etcd: watches the folder's prefix from the revision
 * it was read at + 1 (no change between the startup read and the watch is lost), and hands every
 * changed snapshot to a consumer. The same failure rules as the name resolver: a compacted watch
 * lists again; a failed one lists again with backoff while the last values stay; a periodic list
 * catches a watch that went silent; replayed events (at or below the applied revision) change
 * nothing; etcd lost and back are logged once each.
 * <p>
 * Every field below the constructor's is confined to the watcher's SynchronizationContext.
 */
final class ConfigFolderWatch {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFolderWatch.class);

	private final String folder;

	private final Client client;

	private final ConfigWatchSettings settings;

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final Consumer<ConfigFolderSnapshot> changes;

	private final Backoff backoff = Backoff.standard();

	private SortedMap<String, String> entries = new TreeMap<>();

	private long appliedRevision;

	private Watch.Watcher watcher;

	private boolean listing;

	private boolean closed;

	private boolean etcdLost;

	private ScheduledHandle retry;

	private ScheduledHandle resync;

	private volatile ConfigFolderStatus status;

	ConfigFolderWatch(String folder, Client client, ConfigWatchSettings settings, SynchronizationContext syncContext,
			ScheduledExecutorService timer, Consumer<ConfigFolderSnapshot> changes) {
		this.folder = folder;
		this.client = client;
		this.settings = settings;
		this.syncContext = syncContext;
		this.timer = timer;
		this.changes = changes;
		this.status = new ConfigFolderStatus(folder, 0, 0, null, false, null);
	}

	/** Starts from what the application was started with: watches on from it, or lists when etcd was never read. */
	void start(ConfigFolderSnapshot initial) {
		this.syncContext.execute(() -> {
			if (initial.isRead()) {
				this.entries = new TreeMap<>(initial.entries());
				this.appliedRevision = initial.revision();
				this.status = new ConfigFolderStatus(this.folder, this.appliedRevision, this.entries.size(), null, true, null);
				watchFrom(this.appliedRevision + 1);
			}
			else {
				list();
			}
			scheduleResync();
		});
	}

	void close() {
		this.syncContext.execute(() -> {
			this.closed = true;
			closeWatcher();
			cancel(this.retry);
			cancel(this.resync);
		});
	}

	ConfigFolderStatus status() {
		return this.status;
	}

	private void list() {
		if (this.listing || this.closed) {
			return;
		}
		this.listing = true;
		this.client.getKVClient()
			.get(bytes(this.folder), GetOption.builder().isPrefix(true).build())
			.orTimeout(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, error) -> this.syncContext.execute(() -> onListed(response, error)));
	}

	private void onListed(GetResponse response, Throwable error) {
		this.listing = false;
		if (this.closed) {
			return;
		}
		if (error != null) {
			etcdLost("Cannot read configuration " + this.folder + " from etcd: " + EtcdErrors.describe(error));
			retryLater();
			return;
		}
		this.backoff.reset();
		etcdBack();
		long revision = response.getHeader().getRevision();
		boolean wiped = revision < this.appliedRevision;
		this.appliedRevision = revision;
		update(ConfigFolderReader.entries(this.folder, response));
		if (this.watcher == null || wiped) {
			// A data wipe or restore resets revisions: a watch on a future revision would stay silent.
			watchFrom(revision + 1);
		}
	}

	private void watchFrom(long revision) {
		closeWatcher();
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withRevision(revision)
			.withRequireLeader(true)
			.build();
		this.watcher = this.client.getWatchClient().watch(bytes(this.folder), option, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				ConfigFolderWatch.this.syncContext.execute(() -> onWatchEvents(response.getEvents()));
			}

			@Override
			public void onError(Throwable error) {
				ConfigFolderWatch.this.syncContext.execute(() -> onWatchFailed(error));
			}

			@Override
			public void onCompleted() {
				ConfigFolderWatch.this.syncContext.execute(() -> onWatchFailed(null));
			}

		});
	}

	private void onWatchEvents(List<WatchEvent> events) {
		if (this.closed) {
			return;
		}
		SortedMap<String, String> updated = new TreeMap<>(this.entries);
		// Events of one transaction share one revision: compare with the revision applied before this response.
		long appliedBefore = this.appliedRevision;
		for (WatchEvent event : events) {
			KeyValue kv = event.getKeyValue();
			if (kv.getModRevision() <= appliedBefore) {
				continue;
			}
			this.appliedRevision = Math.max(this.appliedRevision, kv.getModRevision());
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

	private void onWatchFailed(Throwable error) {
		if (this.closed || this.watcher == null) {
			return;
		}
		closeWatcher();
		if (EtcdErrors.isCause(error, CompactedException.class)) {
			logger.info("Watch of configuration {} was compacted past revision {}; reading it again", this.folder,
					this.appliedRevision);
			list();
		}
		else {
			logger.debug("Watch of configuration {} ended ({}); reading it again", this.folder,
					(error != null) ? EtcdErrors.describe(error) : "completed");
			retryLater();
		}
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

	private void etcdLost(String reason) {
		this.status = this.status.disconnected(reason);
		if (this.etcdLost) {
			logger.debug("{}; still retrying", reason);
			return;
		}
		this.etcdLost = true;
		logger.warn("{}; the application keeps its last configuration values until etcd answers", reason);
	}

	private void etcdBack() {
		if (this.etcdLost) {
			this.etcdLost = false;
			logger.info("etcd answers again for configuration {}", this.folder);
		}
	}

	private void retryLater() {
		if (this.retry != null && this.retry.isPending()) {
			return;
		}
		this.retry = this.syncContext.schedule(() -> {
			EtcdChannels.resetConnectBackoff(this.client);
			list();
		}, this.backoff.next().toNanos(), TimeUnit.NANOSECONDS, this.timer);
	}

	private void scheduleResync() {
		if (this.closed) {
			return;
		}
		this.resync = this.syncContext.schedule(() -> {
			list();
			scheduleResync();
		}, this.settings.resyncInterval().toNanos(), TimeUnit.NANOSECONDS, this.timer);
	}

	private void closeWatcher() {
		if (this.watcher != null) {
			this.watcher.close();
			this.watcher = null;
		}
	}

	private static void cancel(ScheduledHandle handle) {
		if (handle != null) {
			handle.cancel();
		}
	}

}
