package io.github.etcdgrpclb.console;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.discovery.ServiceCatalog;
import io.github.etcdgrpclb.registry.OperatorOverride;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryProperties;
import io.github.etcdgrpclb.spring.election.EtcdLeaderProperties;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;
import io.github.etcdgrpclb.spring.lock.EtcdLockProperties;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryProperties;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the console watches, each under the prefix the applications use (the starter's own properties,
 * so one {@code application.yml} of the fleet serves the console too): the registry
 * ({@code etcd.registry.prefix}), elections ({@code etcd.leader.prefix}), locks ({@code etcd.lock.prefix}),
 * configuration ({@code console.config-prefix}), and the cluster itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EtcdRegistryProperties.class, EtcdDiscoveryProperties.class, EtcdLeaderProperties.class,
		EtcdLockProperties.class, ConsoleProperties.class })
class ConsoleConfiguration {

	@Bean
	LiveSections liveSections() {
		return new LiveSections();
	}

	@Bean(destroyMethod = "close")
	HistorySection historySection(LiveSections sections) {
		return new HistorySection(sections);
	}

	@Bean
	ServicesSection servicesSection(EtcdRegistryProperties registry, LiveSections sections, HistorySection history) {
		return new ServicesSection(sections, OperatorOverride.opsPrefix(registryPrefix(registry)), history);
	}

	@Bean(destroyMethod = "close")
	LeasesSection leasesSection(Client client, EtcdRegistryProperties registry, LiveSections sections) {
		return new LeasesSection(client, registryPrefix(registry), sections);
	}

	@Bean(destroyMethod = "close")
	ServiceCatalog consoleServiceCatalog(Client client, EtcdRegistryProperties registry,
			EtcdDiscoveryProperties discovery, ServicesSection services) {
		// Read as the fleet's Spring Cloud DiscoveryClient reads it: prefix, max weight, request timing.
		return ServiceCatalog.start(client, EtcdDiscoveryAutoConfiguration.settings(registry, discovery),
				services.catalogListener());
	}

	@Bean(destroyMethod = "close")
	LivePrefix consoleOperatorChanges(Client client, EtcdRegistryProperties registry, ServicesSection services) {
		return new LivePrefix(client, OperatorOverride.opsPrefix(registryPrefix(registry)) + "/",
				services.changesListener());
	}

	@Bean
	OperatorActions operatorActions(Client client, EtcdRegistryProperties registry) {
		return new OperatorActions(client, registryPrefix(registry), registry.validMaxWeight());
	}

	@Bean(destroyMethod = "close")
	LivePrefix consoleElections(Client client, EtcdLeaderProperties leader, LiveSections sections) {
		String prefix = KeyPrefixes.normalize("etcd.leader.prefix", leader.getPrefix()) + "/";
		return new LivePrefix(client, prefix, new QueueSection(sections, "leaders", prefix));
	}

	@Bean(destroyMethod = "close")
	LivePrefix consoleLocks(Client client, EtcdLockProperties lock, LiveSections sections) {
		String prefix = KeyPrefixes.normalize("etcd.lock.prefix", lock.getPrefix()) + "/";
		return new LivePrefix(client, prefix, new QueueSection(sections, "locks", prefix));
	}

	@Bean(destroyMethod = "close")
	LivePrefix consoleConfig(Client client, ConsoleProperties console, LiveSections sections) {
		String prefix = KeyPrefixes.normalize("console.config-prefix", console.getConfigPrefix()) + "/";
		return new LivePrefix(client, prefix, new ConfigSection(sections, prefix));
	}

	private static String registryPrefix(EtcdRegistryProperties registry) {
		return KeyPrefixes.normalize("etcd.registry.prefix", registry.getPrefix());
	}

	@Bean(destroyMethod = "close")
	ClusterSection consoleCluster(Client client, LiveSections sections) {
		return new ClusterSection(client, sections);
	}

}
