package io.github.etcdgrpclb.spring.discovery;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.balancer.RoutingPolicy;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdClientSource;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdResolverSettings;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryProperties;
import io.grpc.NameResolverProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the etcd name resolver: {@code etcd:///<service>} and
 * {@code grpclb:///<service>} targets resolve through the application's etcd client, with the
 * {@code weight} balancer and its health rules ({@code etcd.discovery.health.*},
 * {@code etcd.discovery.slow-start.*}) selected by the resolver's service config.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ Client.class, NameResolverProvider.class })
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(prefix = "etcd.discovery", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EtcdDiscoveryProperties.class, EtcdRegistryProperties.class })
public class EtcdDiscoveryAutoConfiguration {

	/**
	 * Above the plain META-INF providers (3), so the application's client is used for etcd:/// targets,
	 * but below DNS (5): grpc resolves targets without a scheme ({@code host:port}) with the scheme of
	 * the highest-priority provider, which must stay {@code dns}.
	 */
	static final int PRIORITY = 4;

	@Bean
	@ConditionalOnMissingBean
	DiscoveryStats etcdDiscoveryStats() {
		return new DiscoveryStats();
	}

	@Bean
	@ConditionalOnMissingBean(name = "etcdNameResolverProvider")
	EtcdNameResolverProvider etcdNameResolverProvider(Client client, EtcdRegistryProperties registry,
			EtcdDiscoveryProperties discovery, DiscoveryStats stats) {
		return provider(EtcdNameResolverProvider.SCHEME, client, registry, discovery, stats);
	}

	@Bean
	@ConditionalOnMissingBean(name = "grpclbNameResolverProvider")
	EtcdNameResolverProvider grpclbNameResolverProvider(Client client, EtcdRegistryProperties registry,
			EtcdDiscoveryProperties discovery, DiscoveryStats stats) {
		return provider(EtcdNameResolverProvider.GRPCLB_SCHEME, client, registry, discovery, stats);
	}

	@Bean
	EtcdNameResolverRegistration etcdNameResolverRegistration(ObjectProvider<EtcdNameResolverProvider> providers) {
		return new EtcdNameResolverRegistration(providers.orderedStream().toList());
	}

	private static EtcdNameResolverProvider provider(String scheme, Client client, EtcdRegistryProperties registry,
			EtcdDiscoveryProperties discovery, DiscoveryStats stats) {
		return new EtcdNameResolverProvider(scheme, EtcdClientSource.shared(client), settings(registry, discovery),
				PRIORITY, stats);
	}

	/**
	 * @param registry the registration properties (prefix, largest weight, own zone)
	 * @param discovery the discovery properties
	 * @return the resolvers' settings, checked (an invalid value fails naming its property)
	 */
	public static EtcdResolverSettings settings(EtcdRegistryProperties registry, EtcdDiscoveryProperties discovery) {
		String prefix = KeyPrefixes.normalize("etcd.registry.prefix", registry.getPrefix());
		return new EtcdResolverSettings(prefix, registry.validMaxWeight(),
				DurationChecks.positive("etcd.discovery.resync-interval", discovery.getResyncInterval()),
				DurationChecks.positive("etcd.discovery.request-timeout", discovery.getRequestTimeout()),
				HealthPolicyFactory.from(discovery), routing(registry, discovery));
	}

	/** The caller's zone is etcd.discovery.zone, or the zone this application registers in. */
	private static RoutingPolicy routing(EtcdRegistryProperties registry, EtcdDiscoveryProperties discovery) {
		int minLocalPercent = discovery.getZoneAffinity().getMinLocalPercent();
		if (minLocalPercent < 0 || minLocalPercent > 100) {
			throw new InvalidEtcdPropertyException("etcd.discovery.zone-affinity.min-local-percent", minLocalPercent,
					"must be from 0 to 100", "Set it to a percentage, e.g. 50.");
		}
		String zone = StringUtils.hasText(discovery.getZone()) ? discovery.getZone().trim()
				: (registry.getMetadata() != null) ? registry.getMetadata().get(InstanceMetadata.ZONE) : null;
		return new RoutingPolicy(discovery.getZoneAffinity().isEnabled() ? zone : null, minLocalPercent,
				discovery.getTags().isIsolate(), discovery.getTags().isStrict());
	}

}
