package io.github.etcdgrpclb.spring.discovery;

import java.util.List;

import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.grpc.NameResolverRegistry;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Registers the application's etcd resolver providers in grpc's default registry, so that every
 * channel of the application (net.devh's or a plain {@code ManagedChannelBuilder}) resolves through
 * the application's etcd client; removes them when the context closes.
 */
class EtcdNameResolverRegistration implements InitializingBean, DisposableBean {

	private final List<EtcdNameResolverProvider> providers;

	EtcdNameResolverRegistration(List<EtcdNameResolverProvider> providers) {
		this.providers = providers;
	}

	@Override
	public void afterPropertiesSet() {
		this.providers.forEach(NameResolverRegistry.getDefaultRegistry()::register);
	}

	@Override
	public void destroy() {
		this.providers.forEach(NameResolverRegistry.getDefaultRegistry()::deregister);
	}

}
