package io.github.etcdgrpclb.discovery;

/**
 * The {@code grpclb} scheme (the Go tutorial's) for plain grpc-java; otherwise as
 * {@link DefaultEtcdNameResolverProvider}.
 */
public final class DefaultGrpclbNameResolverProvider extends EtcdNameResolverProvider {

	public DefaultGrpclbNameResolverProvider() {
		super(GRPCLB_SCHEME, new EndpointsClientSource(), DefaultEtcdNameResolverProvider.settingsFromSystemProperties(),
				PLAIN_PRIORITY, new DiscoveryStats());
	}

}
