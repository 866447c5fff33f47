package io.github.etcdgrpclb.registry;

import java.util.concurrent.Executor;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.etcd.EtcdSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a registration's own key while it lives on one lease: a DELETE while the lease is alive
 * (a delete by hand, a snapshot restore) must be undone, and a watch that ends (compaction, etcd
 * restart) must be set up again — the owner does both by putting the key back. A PUT on another
 * lease (another process advertising the same address) is only logged: we do not fight over it.
 */
final class OwnKeyWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(OwnKeyWatch.class);

	/** Told, in the owner's context, that the key needs putting back. */
	@FunctionalInterface
	interface Owner {

		/**
		 * @param lease the lease the watch was for
		 * @param reason what happened
		 */
		void putBack(long lease, String reason);

	}

	private final Watch.Watcher watcher;

	private OwnKeyWatch(Watch.Watcher watcher) {
		this.watcher = watcher;
	}

	/**
	 * @param etcd the etcd to watch
	 * @param key the registration's key
	 * @param lease the lease the key is on
	 * @param fromRevision the revision after our own put
	 * @param executor where the owner is told (the registrar's context)
	 * @param owner told when the key must be put back
	 * @return the running watch; close it when the lease changes or on stop
	 */
	static OwnKeyWatch start(EtcdSource etcd, String key, long lease, long fromRevision, Executor executor,
			Owner owner) {
		return new OwnKeyWatch(etcd.watchKey(key, fromRevision, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				for (WatchEvent event : response.getEvents()) {
					if (event.getEventType() == WatchEvent.EventType.DELETE) {
						logger.warn("Key {} was deleted while lease {} is alive; putting it back", key,
								Long.toHexString(lease));
						executor.execute(() -> owner.putBack(lease, "deleted"));
						return;
					}
					if (event.getKeyValue().getLease() != lease) {
						logger.warn("Key {} was overwritten on lease {} (another process advertising the same address?)",
								key, Long.toHexString(event.getKeyValue().getLease()));
					}
				}
			}

			@Override
			public void onError(Throwable error) {
				logger.debug("Watch of {} failed ({}); putting the key again and watching anew", key, error.toString());
				executor.execute(() -> owner.putBack(lease, "watch failed"));
			}

			@Override
			public void onCompleted() {
				// Preceded by onError when etcd ends the watch (compaction); a close of ours needs nothing.
			}

		}));
	}

	@Override
	public void close() {
		this.watcher.close();
	}

}
