package io.github.etcdgrpclb.discovery;

/**
 * The {@code etcd} scheme for plain grpc-java, found through {@code META-INF/services}: endpoints
 * from the target, {@code -Detcd.endpoints} or {@code ETCD_ENDPOINTS}; prefix from
 * {@code -Detcd.registry.prefix} (default {@code /grpclb}); the caller's zone from {@code -Detcd.discovery.zone}.
 * A Spring application's provider beans
 * take precedence over it.
 */
public final class DefaultEtcdNameResolverProvider extends EtcdNameResolverProvider {

	public DefaultEtcdNameResolverProvider() {
		super(SCHEME, new EndpointsClientSource(), settingsFromSystemProperties(), PLAIN_PRIORITY, new DiscoveryStats());
	}

	static EtcdResolverSettings settingsFromSystemProperties() {
		EtcdResolverSettings defaults = EtcdResolverSettings.DEFAULT;
		String prefix = System.getProperty("etcd.registry.prefix", defaults.prefix()).replaceAll("/+$", "");
		// A plain grpc-java client names its zone as a Spring one does: -Detcd.discovery.zone=eu-1a.
		return new EtcdResolverSettings(prefix, defaults.maxWeight(), defaults.resyncInterval(),
				defaults.requestTimeout(), defaults.health(),
				defaults.routing().inZone(System.getProperty("etcd.discovery.zone")));
	}

}
