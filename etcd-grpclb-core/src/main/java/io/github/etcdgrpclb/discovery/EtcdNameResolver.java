package io.github.etcdgrpclb.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.balancer.WeightAttributes;
import io.github.etcdgrpclb.balancer.WeightLoadBalancerConfig;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.etcd.PrefixSource;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code etcd:///<service>}: lists {@code <prefix>/<service>/} (with the trailing slash, so
 * {@code foo} never sees {@code foobar}), then watches it from the list's revision + 1 and pushes a
 * new address list, with each address's weight, whenever the set of instances or a weight changes.
 * <p>
 * Failure rules ({@link PrefixWatch}): a watch that ends (compaction, etcd restart) or errs leads to a
 * new list and watch, retried with backoff; while etcd cannot be reached the last known addresses
 * stay in use (an empty list is pushed only when etcd answers that there is none); a periodic list
 * catches a watch that went silent. Watch events at or below the revision already applied are ignored, so a replayed
 * event changes nothing. Malformed keys are skipped with one warning and one count per key.
 * <p>
 * The prefix watch, the instance table and every field below them are confined to the channel's
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

	private final Consumer<ResolvedTarget> onShutdown;

	private final PrefixWatch watch;

	private final MetadataTable metadata;

	private final PrefixWatch metadataWatch;

	private final InstanceSelector selector;

	/** Whether the service's keys were listed once: before that, metadata alone publishes nothing. */
	private boolean listed;

	private Listener2 listener;

	private final InstanceTable table;

	private Map<String, ServiceInstance> published;

	private boolean shutdown;

	private volatile ResolvedTarget snapshot;

	/**
	 * @param lastKnown what a resolver of the same target knew when gRPC stopped it (its channel went
	 * idle), shown until this one has listed etcd; null for a new target
	 * @param onShutdown told what this resolver knew when it stops
	 */
	EtcdNameResolver(String serviceName, InstanceSelector selector, Client client, EtcdClientSource clientSource,
			EtcdResolverSettings settings, Args args, DiscoveryStats stats, ResolvedTarget lastKnown,
			Consumer<ResolvedTarget> onShutdown) {
		this(serviceName, selector, client, PrefixSource.of(client), clientSource, settings, args, stats, lastKnown,
				onShutdown);
	}

	/** @param source the lists and watches of the client's etcd (a fake in unit tests) */
	EtcdNameResolver(String serviceName, InstanceSelector selector, Client client, PrefixSource source,
			EtcdClientSource clientSource, EtcdResolverSettings settings, Args args, DiscoveryStats stats,
			ResolvedTarget lastKnown, Consumer<ResolvedTarget> onShutdown) {
		this.authority = authorityFor(serviceName);
		this.servicePrefix = settings.prefix() + "/" + serviceName + "/";
		this.client = client;
		this.clientSource = clientSource;
		this.settings = settings;
		this.table = new InstanceTable(new ServiceInstanceParser(this.servicePrefix, settings.maxWeight()), stats);
		this.syncContext = args.getSynchronizationContext();
		this.timer = args.getScheduledExecutorService();
		this.serviceConfig = args.getServiceConfigParser()
			.parseServiceConfig(Map.of("loadBalancingConfig", List.of(
					new WeightLoadBalancerConfig(settings.maxWeight(), settings.health(), settings.routing())
						.toServiceConfigEntry())));
		this.resultAttributes = Attributes.newBuilder().set(WeightAttributes.SERVICE, serviceName).build();
		this.stats = stats;
		this.onShutdown = onShutdown;
		this.snapshot = (lastKnown != null) ? lastKnown.withState(ResolvedTarget.State.IDLE)
				: new ResolvedTarget(serviceName, this.authority, this.servicePrefix, ResolvedTarget.State.IDLE, List.of(),
						null);
		this.watch = new PrefixWatch(source, this.servicePrefix, settings.requestTimeout(), settings.resyncInterval(),
				this.syncContext, this.timer, new TableUpdates());
		this.selector = selector;
		this.metadata = new MetadataTable(InstanceMetadata.metadataPrefix(settings.prefix()) + "/" + serviceName + "/",
				stats);
		this.metadataWatch = new PrefixWatch(source, this.metadata.prefix(), settings.requestTimeout(),
				settings.resyncInterval(), this.syncContext, this.timer, new MetadataUpdates());
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
		this.snapshot = this.snapshot.withState(ResolvedTarget.State.RESOLVING);
		this.watch.start();
		this.metadataWatch.start();
	}

	/** Lists the service again (the channel asks after failures; a no-op while a list is under way). */
	@Override
	public void refresh() {
		this.watch.list();
		this.metadataWatch.list();
	}

	@Override
	public void shutdown() {
		if (this.shutdown) {
			return;
		}
		this.shutdown = true;
		this.watch.close();
		this.metadataWatch.close();
		this.clientSource.release(this.client);
		this.onShutdown.accept(this.snapshot);
	}

	/** @return what this resolver currently knows, for the actuator endpoint */
	ResolvedTarget snapshot() {
		return this.snapshot;
	}

	/**
	 * Pushes the table's instances, with their metadata and as the target selects them, to the channel,
	 * unless the channel has them already.
	 */
	private void publish() {
		if (!this.listed) {
			return;
		}
		Map<String, ServiceInstance> latest = withMetadata(this.table.instances());
		if (latest.equals(this.published)) {
			return;
		}
		this.published = latest;
		List<EquivalentAddressGroup> groups = new ArrayList<>(latest.size());
		List<ServiceInstance> instances = new ArrayList<>(latest.size());
		for (ServiceInstance instance : latest.values()) {
			Attributes.Builder attributes = Attributes.newBuilder().set(WeightAttributes.WEIGHT, instance.weight());
			if (!instance.metadata().isEmpty()) {
				attributes.set(WeightAttributes.METADATA, instance.metadata());
			}
			groups.add(new EquivalentAddressGroup(instance.socketAddress(), attributes.build()));
			instances.add(instance);
		}
		this.snapshot = new ResolvedTarget(this.snapshot.serviceName(), this.authority, this.servicePrefix,
				ResolvedTarget.State.WATCHING, Collections.unmodifiableList(instances), Instant.now());
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

	/** @return the instances with their servers' metadata, those the target selects; as they are without either */
	private Map<String, ServiceInstance> withMetadata(Map<String, ServiceInstance> instances) {
		if (this.metadata.isEmpty() && this.selector.selectsAll()) {
			return instances;
		}
		Map<String, ServiceInstance> joined = new LinkedHashMap<>();
		instances.forEach((key, instance) -> {
			InstanceMetadata published = this.metadata.of(instance.address());
			if (this.selector.matches(published)) {
				joined.put(key, published.isEmpty() ? instance : instance.withMetadata(published));
			}
		});
		return joined;
	}

	/** What the metadata watch reports, applied to its table and pushed to the channel with the instances. */
	private final class MetadataUpdates implements PrefixWatch.Listener {

		@Override
		public void listed(GetResponse response) {
			EtcdNameResolver.this.metadata.replaceAll(response.getKvs());
			publish();
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			EtcdNameResolver.this.metadata.apply(events);
			publish();
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			EtcdNameResolver.this.stats.recordError(); // the instances' own watch tells of etcd being away
		}

		@Override
		public void watchFailed(Throwable error) {
			EtcdNameResolver.this.stats.recordError();
		}

		@Override
		public void etcdLost(String reason) {
		}

		@Override
		public void etcdBack() {
		}

	}

	/** What the prefix watch reports, applied to the table and pushed to the channel. */
	private final class TableUpdates implements PrefixWatch.Listener {

		/** Lists failed since the last one that succeeded. */
		private int failedInARow;

		@Override
		public void listed(GetResponse response) {
			this.failedInARow = 0;
			EtcdNameResolver.this.table.replaceAll(response.getKvs());
			EtcdNameResolver.this.listed = true;
			publish();
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			EtcdNameResolver.this.table.apply(events);
			publish();
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			EtcdNameResolver.this.stats.recordError();
			// A first list that got no answer may have gone to a stalled member: the next one goes to
			// another member at once, so calls waiting for the first addresses wait for it instead of
			// failing (a refused connection or an error from etcd fails them at once).
			boolean maybeOneStalledMember = ++this.failedInARow == 1 && EtcdErrors.isCause(error, TimeoutException.class);
			if (EtcdNameResolver.this.published == null && !maybeOneStalledMember) {
				EtcdNameResolver.this.listener.onResult2(ResolutionResult.newBuilder()
					.setAddressesOrError(StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(reason).withCause(error)))
					.build());
			}
		}

		@Override
		public void watchFailed(Throwable error) {
			EtcdNameResolver.this.stats.recordError();
		}

		/** Says once per outage that etcd is away, and what the channel goes on with. */
		@Override
		public void etcdLost(String reason) {
			if (EtcdNameResolver.this.published == null) {
				logger.warn("{}; calls to {} fail until etcd answers (retrying with backoff)", reason,
						EtcdNameResolver.this.authority);
			}
			else {
				logger.warn("{}; {} keeps calling its {} last known servers until etcd answers", reason,
						EtcdNameResolver.this.snapshot.serviceName(), EtcdNameResolver.this.published.size());
			}
		}

		@Override
		public void etcdBack() {
			logger.info("etcd answers again for {}: {} servers", EtcdNameResolver.this.servicePrefix,
					EtcdNameResolver.this.table.instances().size());
		}

	}

}
