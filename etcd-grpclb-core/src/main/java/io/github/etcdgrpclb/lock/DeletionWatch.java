package io.github.etcdgrpclb.lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

/**
 * One long-lived watch of deletions under the lock prefix, shared by all waiters of a template.
 * <p>
 * Why not a watch per waiter: etcd serves a watch whose start revision is already behind the
 * store's current one ("unsynced") from a loop that runs every 100 ms, and with a few contenders
 * the revision always moves between a waiter's read and its watch, so every handover took ~100 ms.
 * This watch is created once and then stays synced: deletions reach waiters as soon as they commit.
 * <p>
 * A waiter registers the key it waits for and the revision it read; a deletion after that revision
 * that was already dispatched is remembered for a while ({@link #RECENT}), so registering late
 * misses nothing. On a watch error every waiter is woken to check again and the watch is created
 * anew by the next waiter.
 */
final class DeletionWatch implements AutoCloseable {

	private static final int RECENT = 4096;

	private final Client client;

	private final ByteSequence prefix;

	private final Map<ByteSequence, List<Waiter>> waiting = new HashMap<>();

	private final Map<ByteSequence, Long> recentDeletions = new LinkedHashMap<>(64, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<ByteSequence, Long> eldest) {
			return size() > RECENT;
		}

	};

	private Watch.Watcher watcher;

	private long watchedFrom;

	private boolean closed;

	DeletionWatch(Client client, ByteSequence prefix) {
		this.client = client;
		this.prefix = prefix;
	}

	/**
	 * @param key the key whose deletion to wait for
	 * @param readRevision the revision at which the key was seen to exist
	 * @return completed with true when the key is deleted, with false when the caller should read
	 * again (the watch broke, or began after that revision)
	 */
	synchronized CompletableFuture<Boolean> deletion(ByteSequence key, long readRevision) {
		if (this.closed) {
			return CompletableFuture.failedFuture(new IllegalStateException("the lock template is closed"));
		}
		if (this.watcher == null) {
			start(readRevision + 1);
		}
		Long deletedAt = this.recentDeletions.get(key);
		if (deletedAt != null && deletedAt > readRevision) {
			return CompletableFuture.completedFuture(true);
		}
		if (readRevision + 1 < this.watchedFrom) {
			return CompletableFuture.completedFuture(false); // maybe deleted before this watch began
		}
		Waiter waiter = new Waiter(readRevision, new CompletableFuture<>());
		this.waiting.computeIfAbsent(key, (k) -> new ArrayList<>()).add(waiter);
		return waiter.deleted();
	}

	/** Forgets a waiter that stopped waiting (timed out or interrupted). */
	synchronized void forget(ByteSequence key, CompletableFuture<Boolean> deleted) {
		List<Waiter> waiters = this.waiting.get(key);
		if (waiters != null && waiters.removeIf((waiter) -> waiter.deleted() == deleted) && waiters.isEmpty()) {
			this.waiting.remove(key);
		}
	}

	synchronized int waiters() {
		return this.waiting.values().stream().mapToInt(List::size).sum();
	}

	/** Waits for a key seen existing at {@code readRevision} to be deleted. */
	private record Waiter(long readRevision, CompletableFuture<Boolean> deleted) {

		boolean sawDeletionAt(long revision) {
			if (revision <= this.readRevision) {
				return false;
			}
			this.deleted.complete(true);
			return true;
		}

	}

	@Override
	public void close() {
		Watch.Watcher stopped;
		synchronized (this) {
			this.closed = true;
			stopped = stop();
		}
		closeOutsideTheMonitor(stopped);
	}

	private void start(long fromRevision) {
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withNoPut(true)
			.withRevision(fromRevision)
			.build();
		this.watchedFrom = fromRevision;
		this.watcher = this.client.getWatchClient()
			.watch(this.prefix, option, Watch.listener(this::onResponse, this::onError));
	}

	private synchronized void onResponse(WatchResponse response) {
		for (WatchEvent event : response.getEvents()) {
			if (event.getEventType() == WatchEvent.EventType.DELETE) {
				ByteSequence key = event.getKeyValue().getKey();
				long deletedAt = event.getKeyValue().getModRevision();
				this.recentDeletions.put(key, deletedAt);
				List<Waiter> waiters = this.waiting.get(key);
				// A key name comes back (same lease, next acquisition): an event may be about an older incarnation.
				if (waiters != null && waiters.removeIf((waiter) -> waiter.sawDeletionAt(deletedAt)) && waiters.isEmpty()) {
					this.waiting.remove(key);
				}
			}
		}
	}

	private void onError(Throwable error) {
		Watch.Watcher stopped;
		synchronized (this) {
			stopped = stop();
		}
		closeOutsideTheMonitor(stopped);
	}

	/** Wakes every waiter and detaches the watcher, which the caller closes once out of the monitor. */
	private Watch.Watcher stop() {
		Watch.Watcher stopped = this.watcher;
		this.watcher = null;
		this.waiting.values().forEach((waiters) -> waiters.forEach((waiter) -> waiter.deleted().complete(false)));
		this.waiting.clear();
		return stopped;
	}

	// jetcd may hold the watcher's own monitor while it calls us back: closing it under ours could deadlock.
	private static void closeOutsideTheMonitor(Watch.Watcher watcher) {
		if (watcher != null) {
			watcher.close();
		}
	}

}
