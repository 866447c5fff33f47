package io.github.etcdgrpclb.autoconfigure;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.config.EtcdConfigRefresher;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.leader.EtcdLeadership;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.registry.ServiceRegistrations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code grpclb} actuator endpoint, when Spring Boot Actuator is on the class path. Exposed and
 * secured like any other endpoint ({@code management.endpoints.web.exposure.include=health,grpclb}).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
		EtcdLockAutoConfiguration.class, EtcdLeaderAutoConfiguration.class, EtcdConfigAutoConfiguration.class }, afterName = "io.github.etcdgrpclb.autoconfigure.EtcdRegistryAutoConfiguration")
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Client.class)
public class EtcdEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	GrpclbEndpoint grpclbEndpoint(ObjectProvider<ServiceRegistrations> registrations,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<EtcdLockTemplate> locks,
			ObjectProvider<EtcdLeadership> leadership, ObjectProvider<EtcdConfigRefresher> configuration) {
		return new GrpclbEndpoint(registrations, resolvers, locks, leadership, configuration);
	}

}
