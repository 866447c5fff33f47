package io.github.etcdgrpclb.spring.actuate;

import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.config.EtcdConfigRefresher;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.EtcdProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the {@code etcd} health component asks etcd, the same on both Spring lines; each line's
 * {@code EtcdHealthAutoConfiguration} imports it and adapts the probe to its health API.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EtcdHealthProperties.class)
class EtcdHealthProbeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdHealthProbe etcdHealthProbe(Client client, EtcdProperties etcd, EtcdHealthProperties health,
			ObjectProvider<ServerRegistry> registrations, ObjectProvider<EtcdConfigRefresher> configuration) {
		return new EtcdHealthProbe(client, String.join(",", etcd.getEndpoints()), registrations,
				DurationChecks.positive("etcd.health.timeout", health.getTimeout()), () -> {
					EtcdConfigRefresher refresher = configuration.getIfAvailable();
					return (refresher != null) ? refresher.rejectedValues() : List.of();
				});
	}

}
