package io.github.etcdgrpclb.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.EtcdBytes;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.PrefixSource;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the operator's key of one registration ({@link OperatorOverride}) for its registrar: read
 * once before the registrar's first put, then watched (a {@link PrefixWatch}: lists again after a
 * failed watch, resyncs now and then). A value that is not an override is skipped with a warning and
 * counts as none, so that a typo by hand never keeps a server out of etcd. While etcd is away the
 * last override read stays in force. An etcd user whose role does not cover the key registers as
 * before, without operators' changes (warned once, the key no longer read).
 */
final class OperatorOverrideWatch implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(OperatorOverrideWatch.class);

	private static final Duration RESYNC_INTERVAL = Duration.ofMinutes(1);

	private final String key;

	private final Consumer<OperatorOverride> owner;

	private final PrefixWatch watch;

	/**
	 * @param source where to read and watch
	 * @param key the operator's key of the registration
	 * @param requestTimeout how long one read may take
	 * @param syncContext the registrar's context: the owner is told there
	 * @param timer runs retries and resyncs
	 * @param owner told each override read, the first one included (NONE when there is none)
	 */
	OperatorOverrideWatch(PrefixSource source, String key, Duration requestTimeout, SynchronizationContext syncContext,
			ScheduledExecutorService timer, Consumer<OperatorOverride> owner) {
		this.key = key;
		this.owner = owner;
		// The key as a prefix also matches a longer address (":900" and ":9001"): only the exact key counts.
		this.watch = new PrefixWatch(source, key, requestTimeout, RESYNC_INTERVAL, syncContext, timer, new Listener());
	}

	void start() {
		this.watch.start();
	}

	/** Reads the key now, unless a read is under way (one waiting out its backoff goes at once). */
	void readNow() {
		this.watch.list();
	}

	@Override
	public void close() {
		this.watch.close();
	}

	private OperatorOverride read(KeyValue keyValue) {
		String value = EtcdBytes.text(keyValue.getValue());
		try {
			return OperatorOverride.parse(value);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Ignoring the operator's key {}: {}", this.key, ex.getMessage());
			return OperatorOverride.NONE;
		}
	}

	/** @return the operators' keys' root, e.g. {@code /grpclb-ops/}, for a role's grant */
	private String opsRoot() {
		return this.key.substring(0, this.key.indexOf('/', 1) + 1);
	}

	private boolean isOurs(KeyValue keyValue) {
		return EtcdBytes.text(keyValue.getKey()).equals(this.key);
	}

	private final class Listener implements PrefixWatch.Listener {

		@Override
		public void listed(GetResponse response) {
			OperatorOverride found = response.getKvs()
				.stream()
				.filter(OperatorOverrideWatch.this::isOurs)
				.findFirst()
				.map(OperatorOverrideWatch.this::read)
				.orElse(OperatorOverride.NONE);
			OperatorOverrideWatch.this.owner.accept(found);
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			OperatorOverride latest = null;
			for (WatchEvent event : events) {
				if (isOurs(event.getKeyValue())) {
					latest = (event.getEventType() == WatchEvent.EventType.PUT) ? read(event.getKeyValue())
							: OperatorOverride.NONE;
				}
			}
			if (latest != null) {
				OperatorOverrideWatch.this.owner.accept(latest);
			}
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			if (EtcdErrors.isPermissionDenied(error)) {
				// A role that covers the registry's prefix only: register as before, without operators' changes.
				logger.warn("Cannot read the operator's key {} (permission denied): an operator's weight or drain "
						+ "will not reach this server; grant this etcd user read access to {}", OperatorOverrideWatch.this.key,
						opsRoot());
				OperatorOverrideWatch.this.watch.close();
				OperatorOverrideWatch.this.owner.accept(OperatorOverride.NONE);
				return;
			}
			logger.debug("{}; the last override read stays in force", reason);
		}

		@Override
		public void watchFailed(Throwable error) {
			logger.debug("Watch of {} failed ({}); reading it again", OperatorOverrideWatch.this.key, error.toString());
		}

		@Override
		public void etcdLost(String reason) {
			// The registrar tells of the outage itself.
		}

		@Override
		public void etcdBack() {
		}

	}

}
