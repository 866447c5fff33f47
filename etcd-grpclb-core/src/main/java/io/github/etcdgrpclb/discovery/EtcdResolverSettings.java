package io.github.etcdgrpclb.discovery;

import java.time.Duration;

import io.github.etcdgrpclb.balancer.HealthPolicy;
import io.github.etcdgrpclb.balancer.RoutingPolicy;

/**
 * Settings shared by the resolvers of one provider.
 *
 * @param prefix the registry key prefix, e.g. {@code /grpclb} (no trailing slash)
 * @param maxWeight weights above it count as it
 * @param resyncInterval how often to list the service again as a safety net behind the watch
 * @param requestTimeout how long one etcd request may take
 * @param health the {@code weight} policy's health rules, sent in the resolver's service config
 * @param routing the {@code weight} policy's routing rules (zone, tags), sent the same way
 */
public record EtcdResolverSettings(String prefix, int maxWeight, Duration resyncInterval, Duration requestTimeout,
		HealthPolicy health, RoutingPolicy routing) {

	/**
	 * The defaults: prefix {@code /grpclb}, max weight 100, resync every 5 minutes, 5 s requests,
	 * health-aware balancing.
	 */
	public static final EtcdResolverSettings DEFAULT = new EtcdResolverSettings("/grpclb", 100, Duration.ofMinutes(5),
			Duration.ofSeconds(5), HealthPolicy.DEFAULT, RoutingPolicy.DEFAULT);

	/** Settings with the default routing. */
	public EtcdResolverSettings(String prefix, int maxWeight, Duration resyncInterval, Duration requestTimeout,
			HealthPolicy health) {
		this(prefix, maxWeight, resyncInterval, requestTimeout, health, RoutingPolicy.DEFAULT);
	}

	/** @return the same settings for another registry prefix (HTTP registrations, another fleet) */
	public EtcdResolverSettings withPrefix(String otherPrefix) {
		return new EtcdResolverSettings(otherPrefix, this.maxWeight, this.resyncInterval, this.requestTimeout, this.health,
				this.routing);
	}

}
