package io.github.etcdgrpclb.autoconfigure;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.actuate.EtcdHealthIndicator;
import io.github.etcdgrpclb.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code grpclb} actuator endpoint and the {@code etcd} health indicator, when Spring Boot
 * Actuator is on the class path. Exposed and secured like any other endpoint
 * ({@code management.endpoints.web.exposure.include=health,grpclb}).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class,
		EtcdDiscoveryAutoConfiguration.class, EtcdLockAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(Client.class)
public class EtcdActuatorAutoConfiguration {

	/** A probe must answer quickly: etcd's own request timeout would keep it waiting. */
	private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	GrpclbEndpoint grpclbEndpoint(ObjectProvider<EtcdAutoServiceRegistration> registration,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<EtcdLockTemplate> locks) {
		return new GrpclbEndpoint(registration, resolvers, locks);
	}

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcd")
	EtcdHealthIndicator etcdHealthIndicator(Client client, ObjectProvider<EtcdAutoServiceRegistration> registration) {
		return new EtcdHealthIndicator(client, registration, HEALTH_TIMEOUT);
	}

}
