package io.github.etcdgrpclb.autoconfigure;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.actuate.EtcdHealthIndicator;
import io.github.etcdgrpclb.actuate.EtcdHealthProbe;
import io.github.etcdgrpclb.registry.ServiceRegistrations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code etcd} health indicator on Spring Boot 4's health API
 * ({@code management.health.etcd.enabled}).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class })
@ConditionalOnClass({ AbstractHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(Client.class)
public class EtcdHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcd")
	EtcdHealthIndicator etcdHealthIndicator(Client client, ObjectProvider<ServiceRegistrations> registrations) {
		return new EtcdHealthIndicator(new EtcdHealthProbe(client, registrations, EtcdHealthProbe.DEFAULT_TIMEOUT));
	}

}
