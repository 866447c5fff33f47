package io.github.etcdgrpclb.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.etcd.PrefixSource;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.github.etcdgrpclb.etcd.StateMachineThreads;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service registered under a registry prefix, kept in step with etcd by one watch of the whole
 * prefix and one of its metadata sibling (the resolver's failure rules: re-list after compaction or
 * failure, resync, never emptied because etcd is away). For readers of the whole fleet, such as Spring
 * Cloud's {@code DiscoveryClient}; gRPC channels keep one resolver per target.
 * <p>
 * {@link #services()} may be read from any thread; the listener is told of each change in the
 * catalog's own SynchronizationContext, with the snapshot that changed.
 */
public final class ServiceCatalog implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceCatalog.class);

	private final SynchronizationContext syncContext = StateMachineThreads.syncContext(logger, "the service catalog");

	/** The catalog's own timer, shut down with it; null when the caller's. */
	private volatile ScheduledExecutorService ownTimer;

	private final CatalogTable table;

	private final PrefixWatch keys;

	private final PrefixWatch metadata;

	private final Consumer<Map<String, List<ServiceInstance>>> listener;

	private final DiscoveryStats stats;

	private volatile Map<String, List<ServiceInstance>> services = Map.of();

	private final Updates keyUpdates = new Updates(true);

	private final Updates metadataUpdates = new Updates(false);

	/** Open once both prefixes were listed. */
	private final CountDownLatch firstList = new CountDownLatch(1);

	/**
	 * @param source etcd's lists and watches
	 * @param settings the registry prefix, largest weight and request timing (as the resolvers')
	 * @param timer runs retries and resyncs (the caller's: it outlives the catalog)
	 * @param listener told of each changed snapshot
	 */
	public ServiceCatalog(PrefixSource source, EtcdResolverSettings settings, ScheduledExecutorService timer,
			Consumer<Map<String, List<ServiceInstance>>> listener) {
		String prefix = settings.prefix() + "/";
		String metadataPrefix = InstanceMetadata.metadataPrefix(settings.prefix()) + "/";
		this.listener = listener;
		this.stats = new DiscoveryStats();
		this.table = new CatalogTable(prefix, metadataPrefix, settings.maxWeight(), this.stats);
		this.keys = new PrefixWatch(source, prefix, settings.requestTimeout(), settings.resyncInterval(),
				this.syncContext, timer, this.keyUpdates);
		this.metadata = new PrefixWatch(source, metadataPrefix, settings.requestTimeout(), settings.resyncInterval(),
				this.syncContext, timer, this.metadataUpdates);
	}

	/**
	 * Starts a catalog with a timer thread of its own ("etcd-service-catalog"), stopped by {@link #close()}.
	 * @param client the etcd client
	 * @param settings the registry prefix, largest weight and request timing
	 * @param listener told of each changed snapshot
	 * @return the running catalog
	 */
	public static ServiceCatalog start(Client client, EtcdResolverSettings settings,
			Consumer<Map<String, List<ServiceInstance>>> listener) {
		ScheduledExecutorService timer = StateMachineThreads.timer("etcd-service-catalog");
		ServiceCatalog catalog = new ServiceCatalog(PrefixSource.of(client), settings, timer, listener);
		catalog.ownTimer = timer;
		catalog.start();
		return catalog;
	}

	/** Lists and watches the prefix and its metadata. */
	public void start() {
		this.syncContext.execute(() -> {
			this.metadata.start();
			this.keys.start();
		});
	}

	/** @return service name -> its instances, both in name order; empty until the first list */
	public Map<String, List<ServiceInstance>> services() {
		return this.services;
	}

	/** @return whether etcd was listed at least once (the keys and their metadata) */
	public boolean isSynced() {
		return this.firstList.getCount() == 0;
	}

	/**
	 * Waits for the first list, for readers that must not take "not listed yet" for "no servers".
	 * @param timeout how long at most
	 * @return whether etcd was listed by then
	 */
	public boolean awaitSynced(Duration timeout) {
		try {
			return this.firstList.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return isSynced();
		}
	}

	/** @return the catalog's counts: malformed keys skipped, failed lists and watches */
	public DiscoveryStats stats() {
		return this.stats;
	}

	@Override
	public void close() {
		this.syncContext.execute(() -> {
			this.keys.close();
			this.metadata.close();
		});
		if (this.ownTimer != null) {
			this.ownTimer.shutdownNow();
		}
	}

	private void publish() {
		Map<String, List<ServiceInstance>> latest = this.table.snapshot();
		if (!latest.equals(this.services)) {
			this.services = latest;
			try {
				this.listener.accept(latest);
			}
			catch (RuntimeException ex) {
				// The listener's trouble: the watch goes on, or the catalog would stop following etcd.
				logger.warn("A listener of the service catalog failed; the catalog carries on", ex);
			}
		}
	}

	/** What one of the two watches reports, applied to the table. */
	private final class Updates implements PrefixWatch.Listener {

		private final boolean ofKeys;

		private boolean listed;

		Updates(boolean ofKeys) {
			this.ofKeys = ofKeys;
		}

		@Override
		public void listed(GetResponse response) {
			if (this.ofKeys) {
				ServiceCatalog.this.table.replaceKeys(response.getKvs());
			}
			else {
				ServiceCatalog.this.table.replaceMetadata(response.getKvs());
			}
			publish();
			this.listed = true;
			if (ServiceCatalog.this.keyUpdates.listed && ServiceCatalog.this.metadataUpdates.listed) {
				ServiceCatalog.this.firstList.countDown(); // both: an instance's metadata is there when it is
			}
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			if (this.ofKeys) {
				ServiceCatalog.this.table.applyKeys(events);
			}
			else {
				ServiceCatalog.this.table.applyMetadata(events);
			}
			publish();
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			ServiceCatalog.this.stats.recordError();
		}

		@Override
		public void watchFailed(Throwable error) {
			ServiceCatalog.this.stats.recordError();
		}

		@Override
		public void etcdLost(String reason) {
			if (this.ofKeys) {
				logger.warn("{}; the service catalog keeps what it last knew until etcd answers", reason);
			}
		}

		@Override
		public void etcdBack() {
			if (this.ofKeys) {
				logger.info("etcd answers again for the service catalog: {} services", ServiceCatalog.this.services.size());
			}
		}

	}

}
