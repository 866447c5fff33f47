package io.github.etcdgrpclb.etcd;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one key prefix in step with etcd for its owner (a name resolver, a configuration folder):
 * lists the prefix, then watches it from the list's revision + 1 with require-leader (a member cut
 * off from its leader cancels the watch instead of going silent); a failed list or watch lists
 * again with backoff, a compacted watch at once, and a full list every resync interval catches a
 * watch that went silent anyway. etcd lost and back are told once each per outage.
 * <p>
 * A list gets {@link #FIRST_LIST_TIMEOUT} at first, twice as long after each failed one, the request
 * timeout at most: a member without a leader holds a linearizable read until etcd's own timeout rather
 * than refusing it, and the client's next list goes to another member (jetcd balances round robin), so
 * a short first wait is what lets a client whose watch was cut off see the majority's changes in time.
 * <p>
 * Confined to the owner's SynchronizationContext: call it there; its callbacks run there.
 */
public final class PrefixWatch {

	private static final Logger logger = LoggerFactory.getLogger(PrefixWatch.class);

	/** A healthy member lists in milliseconds; one without a leader never answers before etcd's timeout. */
	static final Duration FIRST_LIST_TIMEOUT = Duration.ofSeconds(1);

	private final PrefixSource source;

	private final String prefix;

	private final Duration requestTimeout;

	private final Duration resyncInterval;

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final Listener listener;

	private final Retry retry;

	private Watch.Watcher watcher;

	/** The highest revision seen in a list or an event: a list below it means etcd's data was wiped. */
	private long seenRevision;

	private boolean listing;

	/** Numbers the lists: an answer to one that timed out is ignored. */
	private long listAttempt;

	private int failedLists;

	private ScheduledHandle listTimeout;

	private boolean closed;

	private boolean etcdLost;

	private ScheduledHandle resync;

	/**
	 * @param client the etcd client
	 * @param prefix the key prefix, with its trailing slash
	 * @param requestTimeout how long one list may take at most (the first of a row gets 1 s, each next one twice as long)
	 * @param resyncInterval how often the prefix is listed in full
	 * @param syncContext the owner's synchronization context
	 * @param timer runs the retries and resyncs
	 * @param listener the owner
	 */
	public PrefixWatch(Client client, String prefix, Duration requestTimeout, Duration resyncInterval,
			SynchronizationContext syncContext, ScheduledExecutorService timer, Listener listener) {
		this(PrefixSource.of(client), prefix, requestTimeout, resyncInterval, syncContext, timer, listener);
	}

	/**
	 * @param source the lists and watches of etcd (a fake in unit tests)
	 * @param prefix the key prefix, with its trailing slash
	 * @param requestTimeout how long one list may take at most (the first of a row gets 1 s, each next one twice as long)
	 * @param resyncInterval how often the prefix is listed in full
	 * @param syncContext the owner's synchronization context
	 * @param timer runs the retries and resyncs
	 * @param listener the owner
	 */
	public PrefixWatch(PrefixSource source, String prefix, Duration requestTimeout, Duration resyncInterval,
			SynchronizationContext syncContext, ScheduledExecutorService timer, Listener listener) {
		this.source = source;
		this.prefix = prefix;
		this.requestTimeout = requestTimeout;
		this.resyncInterval = resyncInterval;
		this.syncContext = syncContext;
		this.timer = timer;
		this.listener = listener;
		this.retry = new Retry(syncContext, timer, Backoff.standard());
	}

	/** Lists the prefix, then watches it; resyncs from now on. */
	public void start() {
		list();
		scheduleResync();
	}

	/** Watches from the revision after one the owner already holds (no list first); resyncs from now on. */
	public void startAfter(long revision) {
		this.seenRevision = revision;
		watchFrom(revision + 1);
		scheduleResync();
	}

	/** Lists the prefix again (a no-op while a list is under way). */
	public void list() {
		if (this.listing || this.closed) {
			return;
		}
		this.listing = true;
		long attempt = ++this.listAttempt;
		Duration timeout = listTimeout();
		this.listTimeout = this.syncContext.schedule(
				() -> answered(attempt, null, new TimeoutException("no answer within " + timeout.toMillis() + " ms")),
				timeout.toNanos(), TimeUnit.NANOSECONDS, this.timer);
		this.source.list(this.prefix)
			.whenComplete((response, error) -> this.syncContext.execute(() -> answered(attempt, response, error)));
	}

	private Duration listTimeout() {
		Duration timeout = FIRST_LIST_TIMEOUT.multipliedBy(1L << Math.min(this.failedLists, 10));
		return (timeout.compareTo(this.requestTimeout) < 0) ? timeout : this.requestTimeout;
	}

	private void answered(long attempt, GetResponse response, Throwable error) {
		if (attempt != this.listAttempt || !this.listing) {
			return; // timed out before, or answered before its timeout
		}
		this.listTimeout.cancel();
		this.failedLists = (error != null) ? this.failedLists + 1 : 0;
		onListed(response, error);
	}

	/** Stops watching, retrying and resyncing; idempotent. */
	public void close() {
		this.closed = true;
		closeWatcher();
		this.retry.cancel();
		if (this.listTimeout != null) {
			this.listTimeout.cancel();
		}
		if (this.resync != null) {
			this.resync.cancel();
		}
	}

	private void onListed(GetResponse response, Throwable error) {
		this.listing = false;
		if (this.closed) {
			return;
		}
		if (error != null) {
			String reason = "Cannot list " + this.prefix + " in etcd: " + EtcdErrors.describe(error);
			this.listener.listFailed(reason, error);
			if (this.etcdLost) {
				logger.debug("{}; still retrying", reason);
			}
			else {
				this.etcdLost = true;
				this.listener.etcdLost(reason);
			}
			retryLater();
			return;
		}
		this.retry.succeeded();
		long revision = response.getHeader().getRevision();
		// A data wipe or restore resets revisions: a watch on a future revision would stay silent.
		boolean wiped = revision < this.seenRevision;
		this.seenRevision = revision;
		this.listener.listed(response);
		if (this.etcdLost) {
			this.etcdLost = false;
			this.listener.etcdBack(); // after the list: the owner tells what it holds now
		}
		if (this.watcher == null || wiped) {
			watchFrom(revision + 1);
		}
	}

	private void watchFrom(long revision) {
		closeWatcher();
		this.watcher = this.source.watch(this.prefix, revision, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				PrefixWatch.this.syncContext.execute(() -> onEvents(response.getEvents()));
			}

			@Override
			public void onError(Throwable error) {
				PrefixWatch.this.syncContext.execute(() -> onWatchFailed(error));
			}

			@Override
			public void onCompleted() {
				PrefixWatch.this.syncContext.execute(() -> onWatchFailed(null));
			}

		});
	}

	private void onEvents(List<WatchEvent> events) {
		if (this.closed) {
			return;
		}
		// The owner holds exactly what was listed and changed up to seenRevision: only newer events
		// change it (a replayed one would undo nothing, but a stale one could).
		List<WatchEvent> fresh = NewEvents.after(this.seenRevision, events);
		this.seenRevision = NewEvents.lastRevision(this.seenRevision, fresh);
		this.listener.changed(fresh, this.seenRevision);
	}

	private void onWatchFailed(Throwable error) {
		if (this.closed || this.watcher == null) {
			return;
		}
		closeWatcher();
		this.listener.watchFailed(error);
		if (EtcdErrors.isCause(error, CompactedException.class)) {
			logger.info("Watch of {} was compacted past the revision it had reached; listing again", this.prefix);
			list();
		}
		else {
			logger.debug("Watch of {} ended ({}); listing again", this.prefix,
					(error != null) ? EtcdErrors.describe(error) : "completed");
			retryLater();
		}
	}

	private void retryLater() {
		this.retry.later(() -> {
			this.source.reconnectNow();
			list();
		});
	}

	private void scheduleResync() {
		if (this.closed) {
			return;
		}
		this.resync = this.syncContext.schedule(() -> {
			list();
			scheduleResync();
		}, this.resyncInterval.toNanos(), TimeUnit.NANOSECONDS, this.timer);
	}

	private void closeWatcher() {
		if (this.watcher != null) {
			this.watcher.close();
			this.watcher = null;
		}
	}

	/** The owner of a prefix watch; every method runs in the owner's synchronization context. */
	public interface Listener {

		/** A full list arrived: it replaces everything known of the prefix. */
		void listed(GetResponse response);

		/**
		 * A watch response arrived.
		 * @param events its events newer than everything listed or changed before, in order (replayed
		 * ones left out; empty when the response brought nothing new)
		 * @param revision the revision the prefix is at with them
		 */
		void changed(List<WatchEvent> events, long revision);

		/** A list failed; it is retried with backoff. */
		void listFailed(String reason, Throwable error);

		/** The watch failed or ended; the prefix is listed again. */
		void watchFailed(Throwable error);

		/** The first failed list of an outage. */
		void etcdLost(String reason);

		/** The first successful list after an outage, told after {@link #listed}. */
		void etcdBack();

	}

}
