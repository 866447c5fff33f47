package io.github.etcdgrpclb.spring.actuate;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.config.EtcdConfigAutoConfiguration;
import io.github.etcdgrpclb.spring.config.EtcdConfigRefresher;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.election.EtcdLeaderAutoConfiguration;
import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryAutoConfiguration;

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
// EtcdRegistryAutoConfiguration is each Spring line's own, compiled beside this shared class under one name.
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class,
		EtcdDiscoveryAutoConfiguration.class, EtcdLockAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
		EtcdConfigAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Client.class)
public class EtcdEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	GrpclbEndpoint grpclbEndpoint(ObjectProvider<ServerRegistry> registrations,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<EtcdLockTemplate> locks,
			ObjectProvider<EtcdLeadership> leadership, ObjectProvider<EtcdConfigRefresher> configuration) {
		return new GrpclbEndpoint(registrations, resolvers, locks, leadership, configuration);
	}

}
