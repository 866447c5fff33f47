package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.etcd.EtcdErrors;

/**
 * Every key that came and went under a prefix, in etcd's own order: its create revision (a lock's or
 * a term's token) and the revision it was deleted at. Recorded by one watch from a given revision;
 * when the watch fails (the member it was on is killed, cut off) it watches again from the next
 * revision it has not seen. Only when etcd compacted past that revision is the history marked
 * incomplete, and a check on it fails rather than passing on a gap: the nemesis compacts no further
 * than {@link #reachedRevision()}.
 */
public final class KeyHistory implements AutoCloseable {

	/** create revision -> delete revision (Long.MAX_VALUE while the key lives). */
	private final Map<Long, Long> lifetimes = new TreeMap<>();

	private final Map<String, Long> liveKeys = new HashMap<>();

	private final Client client;

	private final String prefix;

	private final ScheduledExecutorService rewatch = Executors.newSingleThreadScheduledExecutor();

	private Watch.Watcher watcher;

	private long reached;

	private boolean closed;

	private volatile String gap;

	public KeyHistory(Client client, String prefix, long fromRevision) {
		this.client = client;
		this.prefix = prefix;
		this.reached = fromRevision - 1;
		watch();
	}

	private synchronized void watch() {
		if (this.closed) {
			return;
		}
		WatchOption option = WatchOption.builder().isPrefix(true).withRevision(this.reached + 1).build();
		Watch.Watcher[] self = new Watch.Watcher[1];
		self[0] = this.client.getWatchClient().watch(bytes(this.prefix), option, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				record(response);
			}

			@Override
			public void onError(Throwable error) {
				failed(self[0], error);
			}

			@Override
			public void onCompleted() {
				failed(self[0], null);
			}

		});
		this.watcher = self[0];
	}

	private synchronized void failed(Watch.Watcher failed, Throwable error) {
		if (this.closed || (failed != null && failed != this.watcher)) {
			return; // an earlier watch's late news
		}
		this.watcher.close();
		if (error != null && EtcdErrors.isCause(error, CompactedException.class)) {
			this.gap = "compacted past revision " + (this.reached + 1);
			return;
		}
		this.rewatch.schedule(this::watch, 100, TimeUnit.MILLISECONDS);
	}

	private synchronized void record(WatchResponse response) {
		for (WatchEvent event : response.getEvents()) {
			long revision = event.getKeyValue().getModRevision();
			if (revision <= this.reached) {
				continue; // seen before the watch was made again
			}
			String key = text(event.getKeyValue().getKey());
			if (event.getEventType() == WatchEvent.EventType.PUT) {
				long created = event.getKeyValue().getCreateRevision();
				this.liveKeys.put(key, created);
				this.lifetimes.putIfAbsent(created, Long.MAX_VALUE);
			}
			else {
				Long created = this.liveKeys.remove(key);
				if (created != null) {
					this.lifetimes.put(created, revision);
				}
			}
			this.reached = revision;
		}
	}

	/** @return the last revision of an event recorded: etcd may be compacted up to it */
	public synchronized long reachedRevision() {
		return this.reached;
	}

	/** @return create revision -> delete revision (Long.MAX_VALUE: still there), a copy */
	public synchronized Map<Long, Long> lifetimes() {
		return new TreeMap<>(this.lifetimes);
	}

	/** @return why the history has a gap, or null when it is complete */
	public String gap() {
		return this.gap;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		this.rewatch.shutdownNow();
		if (this.watcher != null) {
			this.watcher.close();
		}
	}

}
