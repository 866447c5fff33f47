package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.balancer.WeightAttributes;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdChannels;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code etcd:///<service>}: lists {@code <prefix>/<service>/} (with the trailing slash, so
 * {@code foo} never sees {@code foobar}), then watches it from the list's revision + 1 and pushes a
 * new address list, with each address's weight, whenever the set of instances or a weight changes.
 * <p>
 * Failure rules: a watch that ends (compaction, etcd restart) or errs leads to a new list and watch,
 * retried with backoff; while etcd cannot be reached the last known addresses stay in use (an empty
 * list is pushed only when etcd answers that there is none); a periodic list catches a watch that
 * went silent. Watch events at or below the revision already applied are ignored, so a replayed
 * event changes nothing. Malformed keys are skipped with one warning and one count per key.
 * <p>
 * The backoff, the instance table and every field below them are confined to the channel's
 * SynchronizationContext; etcd callbacks hop onto it.
 */
final class EtcdNameResolver extends NameResolver {

	private static final Logger logger = LoggerFactory.getLogger(EtcdNameResolver.class);

	private final String authority;

	private final String servicePrefix;

	private final Client client;

	private final EtcdClientSource clientSource;

	private final EtcdResolverSettings settings;

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final NameResolver.ConfigOrError serviceConfig;

	private final Attributes resultAttributes;

	private final DiscoveryStats stats;

	private final Runnable onShutdown;

	private final Backoff backoff = Backoff.standard();

	private Listener2 listener;

	private final InstanceTable table;

	private SortedMap<String, ServiceInstance> published;

	private Watch.Watcher watcher;

	private boolean listing;

	private boolean shutdown;

	private boolean etcdLost;

	private ScheduledHandle retry;

	private ScheduledHandle resync;

	private volatile ResolvedTarget snapshot;

	EtcdNameResolver(String serviceName, Client client, EtcdClientSource clientSource, EtcdResolverSettings settings,
			Args args, DiscoveryStats stats, Runnable onShutdown) {
		this.authority = authorityFor(serviceName);
		this.servicePrefix = settings.prefix() + "/" + serviceName + "/";
		this.client = client;
		this.clientSource = clientSource;
		this.settings = settings;
		this.table = new InstanceTable(new ServiceInstanceParser(this.servicePrefix, settings.maxWeight()), stats);
		this.syncContext = args.getSynchronizationContext();
		this.timer = args.getScheduledExecutorService();
		this.serviceConfig = args.getServiceConfigParser()
			.parseServiceConfig(Map.of("loadBalancingConfig",
					List.of(Map.of("weight", Map.of("maxWeight", (double) settings.maxWeight())))));
		this.resultAttributes = Attributes.newBuilder().set(WeightAttributes.SERVICE, serviceName).build();
		this.stats = stats;
		this.onShutdown = onShutdown;
		this.snapshot = new ResolvedTarget(serviceName, this.authority, this.servicePrefix, List.of(), null);
	}

	@Override
	public String getServiceAuthority() {
		return this.authority;
	}

	/**
	 * The channel's authority (the :authority header, the TLS host name): the service name when it is
	 * a valid host name, else the name with the characters a host name cannot hold replaced by '-'
	 * ({@code simple_grpc} -> {@code simple-grpc}). Interceptors parse the authority as a URI host;
	 * micrometer's gRPC client observation fails every call when that parse fails
	 * (micrometer-metrics/micrometer#7380).
	 */
	static String authorityFor(String serviceName) {
		try {
			if (new URI(null, serviceName, null, null, null).getHost() != null) {
				return serviceName;
			}
		}
		catch (URISyntaxException ex) {
			// Not a host name: sanitized below.
		}
		String sanitized = serviceName.replaceAll("[^A-Za-z0-9.-]", "-").replaceAll("^[.-]+|[.-]+$", "");
		return sanitized.isEmpty() ? "etcd-service" : sanitized;
	}

	@Override
	public void start(Listener2 listener) {
		this.listener = listener;
		list();
		scheduleResync();
	}

	/** Lists the service again (the channel asks after failures; a no-op while a list is under way). */
	@Override
	public void refresh() {
		list();
	}

	@Override
	public void shutdown() {
		if (this.shutdown) {
			return;
		}
		this.shutdown = true;
		closeWatcher();
		cancel(this.retry);
		cancel(this.resync);
		this.clientSource.release(this.client);
		this.onShutdown.run();
	}

	/** @return what this resolver currently knows, for the actuator endpoint */
	ResolvedTarget snapshot() {
		return this.snapshot;
	}

	private void list() {
		if (this.listing || this.shutdown) {
			return;
		}
		this.listing = true;
		this.client.getKVClient()
			.get(bytes(this.servicePrefix), GetOption.builder().isPrefix(true).build())
			.orTimeout(this.settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, error) -> this.syncContext.execute(() -> onListed(response, error)));
	}

	private void onListed(GetResponse response, Throwable error) {
		this.listing = false;
		if (this.shutdown) {
			return;
		}
		if (error != null) {
			this.stats.recordError();
			Status status = Status.UNAVAILABLE
				.withDescription("Cannot list " + this.servicePrefix + " in etcd: " + EtcdErrors.describe(error))
				.withCause(error);
			if (this.published == null) {
				this.listener.onResult2(ResolutionResult.newBuilder()
					.setAddressesOrError(StatusOr.fromStatus(status))
					.build());
			}
			etcdLost(status.getDescription());
			retryLater();
			return;
		}
		this.backoff.reset();
		etcdBack();
		long revision = response.getHeader().getRevision();
		boolean wiped = this.table.replaceAll(response.getKvs(), revision);
		publish();
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
		this.watcher = this.client.getWatchClient().watch(bytes(this.servicePrefix), option, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				EtcdNameResolver.this.syncContext.execute(() -> onWatchEvents(response));
			}

			@Override
			public void onError(Throwable error) {
				EtcdNameResolver.this.syncContext.execute(() -> onWatchFailed(error));
			}

			@Override
			public void onCompleted() {
				EtcdNameResolver.this.syncContext.execute(() -> onWatchFailed(null));
			}

		});
	}

	private void onWatchEvents(WatchResponse response) {
		if (this.shutdown) {
			return;
		}
		this.table.apply(response.getEvents());
		publish();
	}

	private void onWatchFailed(Throwable error) {
		if (this.shutdown || this.watcher == null) {
			return;
		}
		closeWatcher();
		this.stats.recordError();
		if (EtcdErrors.isCause(error, CompactedException.class)) {
			logger.info("Watch of {} was compacted past revision {}; listing again", this.servicePrefix,
					this.table.appliedRevision());
			list();
		}
		else {
			logger.debug("Watch of {} ended ({}); listing again", this.servicePrefix,
					(error != null) ? EtcdErrors.describe(error) : "completed");
			retryLater();
		}
	}

	/** Pushes the table's instances to the channel, unless the channel has them already. */
	private void publish() {
		SortedMap<String, ServiceInstance> latest = this.table.instances();
		if (latest.equals(this.published)) {
			return;
		}
		this.published = latest;
		List<EquivalentAddressGroup> groups = new ArrayList<>(latest.size());
		for (ServiceInstance instance : latest.values()) {
			groups.add(new EquivalentAddressGroup(instance.socketAddress(),
					Attributes.newBuilder().set(WeightAttributes.WEIGHT, instance.weight()).build()));
		}
		this.snapshot = new ResolvedTarget(this.snapshot.serviceName(), this.authority, this.servicePrefix,
				List.copyOf(latest.values()), Instant.now());
		this.stats.recordUpdate(this.snapshot.serviceName());
		Status status = this.listener.onResult2(ResolutionResult.newBuilder()
			.setAddressesOrError(StatusOr.fromValue(groups))
			.setAttributes(this.resultAttributes)
			.setServiceConfig(this.serviceConfig)
			.build());
		if (!status.isOk()) {
			logger.debug("Channel did not accept the addresses of {}: {}", this.servicePrefix, status);
		}
	}

	/** Says once per outage that etcd is away, and what the channel goes on with. */
	private void etcdLost(String reason) {
		if (this.etcdLost) {
			logger.debug("{}; still retrying", reason);
			return;
		}
		this.etcdLost = true;
		if (this.published == null) {
			logger.warn("{}; calls to {} fail until etcd answers (retrying with backoff)", reason, this.authority);
		}
		else {
			logger.warn("{}; {} keeps calling its {} last known servers until etcd answers", reason,
					this.snapshot.serviceName(), this.published.size());
		}
	}

	private void etcdBack() {
		if (this.etcdLost) {
			this.etcdLost = false;
			logger.info("etcd answers again for {}: {} servers", this.servicePrefix, this.table.instances().size());
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
