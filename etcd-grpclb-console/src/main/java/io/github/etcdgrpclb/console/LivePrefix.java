package io.github.etcdgrpclb.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.EtcdBytes;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.github.etcdgrpclb.etcd.StateMachineThreads;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every key under one prefix as etcd last described it (value, create and mod revision, lease), kept by
 * the core's {@link PrefixWatch} (list, watch, re-list after compaction or failure, resync): what the
 * leaders, locks and configuration views are read from. Each change hands the new snapshot to the
 * listener, on the watch's own thread.
 */
final class LivePrefix implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LivePrefix.class);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration RESYNC_INTERVAL = Duration.ofMinutes(5);

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final PrefixWatch watch;

	private final Consumer<Map<String, Entry>> listener;

	// Confined to the sync context.
	private final Map<String, Entry> keys = new TreeMap<>();

	private volatile Map<String, Entry> snapshot = Map.of();

	/**
	 * @param client the etcd client
	 * @param prefix the key prefix with its trailing slash, e.g. {@code /election/}
	 * @param listener told of each changed snapshot (key -> entry, in key order)
	 */
	LivePrefix(Client client, String prefix, Consumer<Map<String, Entry>> listener) {
		this.syncContext = StateMachineThreads.syncContext(logger, "console prefix " + prefix);
		this.timer = StateMachineThreads.timer("console-" + prefix.replace('/', '-'));
		this.listener = listener;
		this.watch = new PrefixWatch(client, prefix, REQUEST_TIMEOUT, RESYNC_INTERVAL, this.syncContext, this.timer,
				new Updates());
		this.syncContext.execute(this.watch::start);
	}

	/** @return key -> entry, in key order */
	Map<String, Entry> snapshot() {
		return this.snapshot;
	}

	@Override
	public void close() {
		this.syncContext.execute(this.watch::close);
		this.timer.shutdownNow();
	}

	private void publish() {
		this.snapshot = Map.copyOf(this.keys);
		this.listener.accept(new TreeMap<>(this.keys));
	}

	/**
	 * One key as etcd holds it.
	 * @param key the key
	 * @param value its value, as text
	 * @param createRevision when it was created: a lock's fencing token, the order of a queue
	 * @param modRevision when it was last written
	 * @param lease the lease it lives on, 0 when none
	 */
	record Entry(String key, String value, long createRevision, long modRevision, long lease) {

		static Entry of(KeyValue kv) {
			return new Entry(EtcdBytes.text(kv.getKey()), EtcdBytes.text(kv.getValue()), kv.getCreateRevision(),
					kv.getModRevision(), kv.getLease());
		}

	}

	private final class Updates implements PrefixWatch.Listener {

		@Override
		public void listed(GetResponse response) {
			LivePrefix.this.keys.clear();
			response.getKvs().forEach((kv) -> LivePrefix.this.keys.put(EtcdBytes.text(kv.getKey()), Entry.of(kv)));
			publish();
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			for (WatchEvent event : events) {
				String key = EtcdBytes.text(event.getKeyValue().getKey());
				if (event.getEventType() == WatchEvent.EventType.DELETE) {
					LivePrefix.this.keys.remove(key);
				}
				else if (event.getEventType() == WatchEvent.EventType.PUT) {
					LivePrefix.this.keys.put(key, Entry.of(event.getKeyValue()));
				}
			}
			publish();
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			logger.debug("Listing failed ({}); the console shows what it last read", reason);
		}

		@Override
		public void watchFailed(Throwable error) {
			logger.debug("Watch failed; listing again", error);
		}

		@Override
		public void etcdLost(String reason) {
			logger.warn("etcd unreachable ({}): the console shows what it last read", reason);
		}

		@Override
		public void etcdBack() {
			logger.info("etcd reachable again");
		}

	}

}
