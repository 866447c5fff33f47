package io.github.etcdgrpclb.spring.actuate;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.config.EtcdConfigAutoConfiguration;
import io.github.etcdgrpclb.spring.config.EtcdConfigRefresher;
import io.github.etcdgrpclb.spring.election.EtcdLeaderAutoConfiguration;
import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.EtcdClientBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of registration, discovery, balancing, locks and the etcd client's own calls
 * (names under {@code grpclb.} and {@code etcd.}), when a {@link MeterRegistry} exists; scraped
 * at {@code /actuator/prometheus} with micrometer-registry-prometheus.
 */
// Boot 3.5 and Boot 4.1 keep the meter registry's auto-configuration in different packages: name both.
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdLeaderAutoConfiguration.class,
		EtcdConfigAutoConfiguration.class }, afterName = {
		"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, Client.class })
public class EtcdMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GrpclbMetrics grpclbMetrics(ObjectProvider<ServerRegistry> registration,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<DiscoveryStats> discoveryStats) {
		return new GrpclbMetrics(registration, resolvers, discoveryStats);
	}

	@Bean
	@ConditionalOnMissingBean
	EtcdLockMetrics etcdLockMetrics(MeterRegistry registry, ObjectProvider<EtcdLockTemplate> template) {
		return new EtcdLockMetrics(registry, template);
	}

	@Bean
	EtcdClientBuilderCustomizer etcdClientMetricsCustomizer(ObjectProvider<MeterRegistry> registry) {
		return (builder) -> builder.interceptor(new EtcdClientMetricsInterceptor(registry.getObject()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(EtcdLeadership.class)
	EtcdLeaderMetrics etcdLeaderMetrics(EtcdLeadership leadership) {
		return new EtcdLeaderMetrics(leadership);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(EtcdConfigRefresher.class)
	EtcdConfigMetrics etcdConfigMetrics(EtcdConfigRefresher refresher) {
		return new EtcdConfigMetrics(refresher);
	}

}
