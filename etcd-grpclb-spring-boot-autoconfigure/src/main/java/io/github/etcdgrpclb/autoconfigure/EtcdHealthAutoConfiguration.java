package io.github.etcdgrpclb.autoconfigure;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.actuate.EtcdHealthIndicator;
import io.github.etcdgrpclb.actuate.EtcdHealthProbe;
import io.github.etcdgrpclb.registry.ServiceRegistrations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code etcd} health indicator on Spring Boot 3.5's health API
 * ({@code management.health.etcd.enabled}).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class })
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(Client.class)
@EnableConfigurationProperties(EtcdHealthProperties.class)
public class EtcdHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcd")
	EtcdHealthIndicator etcdHealthIndicator(Client client, EtcdProperties etcd, EtcdHealthProperties health,
			ObjectProvider<ServiceRegistrations> registrations) {
		Duration timeout = DurationChecks.positive("etcd.health.timeout", health.getTimeout());
		String unreachable = HealthStatusNames.check("etcd.health.unreachable-status", health.getUnreachableStatus());
		EtcdHealthProbe probe = new EtcdHealthProbe(client, String.join(",", etcd.getEndpoints()), registrations,
				timeout);
		return new EtcdHealthIndicator(probe, unreachable);
	}

}
