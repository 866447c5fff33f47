package io.github.etcdgrpclb.discovery;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.Client;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

/**
 * Provides resolvers for {@code <scheme>:///<service>} targets (schemes {@code etcd}, and
 * {@code grpclb} as the Go tutorial writes them) that read {@code <prefix>/<service>/} in etcd.
 */
public class EtcdNameResolverProvider extends NameResolverProvider {

	/** This starter's scheme. */
	public static final String SCHEME = "etcd";

	/** The scheme of the Go tutorial's targets. */
	public static final String GRPCLB_SCHEME = "grpclb";

	/**
	 * Priority of the providers listed in META-INF/services. It must stay below DNS's 5: grpc gives
	 * targets without a scheme ({@code host:port}) to the highest-priority provider's scheme.
	 */
	public static final int PLAIN_PRIORITY = 3;

	private final String scheme;

	private final EtcdClientSource clientSource;

	private final EtcdResolverSettings settings;

	private final int priority;

	private final DiscoveryStats stats;

	private final Set<EtcdNameResolver> resolvers = ConcurrentHashMap.newKeySet();

	/**
	 * What a stopped resolver knew, by target, until the next resolver of that target takes it: gRPC
	 * stops the resolver of a channel that goes idle and makes the next one at once (started on the next
	 * call), which shows this until it has listed etcd. A channel shut down for good leaves its entry
	 * (one per target ever resolved).
	 */
	private final Map<String, ResolvedTarget> lastKnown = new ConcurrentHashMap<>();

	/**
	 * @param scheme the target scheme
	 * @param clientSource where resolvers get their etcd client
	 * @param settings prefix, max weight, resync interval
	 * @param priority the provider priority: higher wins for the same scheme; keep it below 5 (DNS)
	 * @param stats the counters to update
	 */
	public EtcdNameResolverProvider(String scheme, EtcdClientSource clientSource, EtcdResolverSettings settings,
			int priority, DiscoveryStats stats) {
		this.scheme = scheme;
		this.clientSource = clientSource;
		this.settings = settings;
		this.priority = priority;
		this.stats = stats;
	}

	@Override
	public String getDefaultScheme() {
		return this.scheme;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return this.priority;
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return List.of(InetSocketAddress.class);
	}

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!this.scheme.equals(targetUri.getScheme())) {
			return null;
		}
		String path = (targetUri.getPath() != null) ? targetUri.getPath() : "";
		String serviceName = path.startsWith("/") ? path.substring(1) : path;
		if (serviceName.isEmpty() || serviceName.contains("/")) {
			throw new IllegalArgumentException("A target of the " + this.scheme + " scheme names one service: "
					+ this.scheme + ":///<service>, not '" + targetUri + "'");
		}
		InstanceSelector selector = InstanceSelector.parse(targetUri.getRawQuery());
		Client client = this.clientSource.acquire(targetUri);
		String target = targetUri.toString();
		EtcdNameResolver[] self = new EtcdNameResolver[1];
		self[0] = new EtcdNameResolver(serviceName, selector, client, this.clientSource, this.settings, args, this.stats,
				this.lastKnown.remove(target), (known) -> {
					this.lastKnown.put(target, known);
					this.resolvers.remove(self[0]);
				});
		this.resolvers.add(self[0]);
		return self[0];
	}

	/** @return what each live resolver of this provider knows */
	public List<ResolvedTarget> targets() {
		return this.resolvers.stream().map(EtcdNameResolver::snapshot).toList();
	}

	/** @return the settings its resolvers use (prefix, max weight, the balancer's health rules...) */
	public EtcdResolverSettings settings() {
		return this.settings;
	}

	/** @return what the resolvers count */
	public DiscoveryStats stats() {
		return this.stats;
	}

}
