package io.github.etcdgrpclb.spring.actuate;

import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryAutoConfiguration;

import io.etcd.jetcd.Client;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The {@code etcd} health indicator on Spring Boot 3.5's health API
 * ({@code management.health.etcd.enabled}).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class })
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(Client.class)
@Import(EtcdHealthProbeConfiguration.class)
public class EtcdHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "etcdHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("etcd")
	EtcdHealthIndicator etcdHealthIndicator(EtcdHealthProbe etcdHealthProbe, EtcdHealthProperties health) {
		return new EtcdHealthIndicator(etcdHealthProbe,
				HealthStatusNames.check("etcd.health.unreachable-status", health.getUnreachableStatus()));
	}

}
