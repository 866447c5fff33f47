package io.github.etcdgrpclb.spring.cloud;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.discovery.ServiceCatalog;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryProperties;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryProperties;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Cloud Commons on the class path: the etcd registry as a {@link DiscoveryClient} (and a reactive
 * one with Reactor), for Spring Cloud LoadBalancer's {@code lb://} clients, Gateway routes and
 * net.devh's {@code discovery:///} channels. One watch of the whole registry prefix answers them all.
 * Off with {@code etcd.discovery.cloud.enabled=false} or Spring Cloud's {@code spring.cloud.discovery.enabled=false}.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class, beforeName = {
		"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.simple.reactive.SimpleReactiveDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
		"org.springframework.cloud.client.discovery.composite.reactive.ReactiveCompositeDiscoveryClientAutoConfiguration",
		// net.devh's discovery:/// resolver is there only when a DiscoveryClient bean is, when it is evaluated
		"net.devh.boot.grpc.client.autoconfigure.GrpcDiscoveryClientAutoConfiguration" })
@ConditionalOnClass({ Client.class, DiscoveryClient.class })
@ConditionalOnBean(Client.class)
@ConditionalOnDiscoveryEnabled
@ConditionalOnProperty(prefix = "etcd.discovery.cloud", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EtcdDiscoveryProperties.class, EtcdRegistryProperties.class })
public class EtcdCloudDiscoveryAutoConfiguration {

	@Bean
	CatalogHeartbeats etcdCatalogHeartbeats() {
		return new CatalogHeartbeats();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	ServiceCatalog etcdServiceCatalog(Client client, EtcdRegistryProperties registry, EtcdDiscoveryProperties discovery,
			CatalogHeartbeats heartbeats) {
		return ServiceCatalog.start(client, EtcdDiscoveryAutoConfiguration.settings(registry, discovery), heartbeats);
	}

	/** The HTTP registrations ({@code etcd.registry.http.*}) of every application, for lb:// clients. */
	@Bean(destroyMethod = "close")
	HttpServiceCatalog etcdHttpServiceCatalog(Client client, EtcdRegistryProperties registry,
			EtcdDiscoveryProperties discovery, CatalogHeartbeats heartbeats) {
		String prefix = KeyPrefixes.normalize("etcd.registry.http.prefix", registry.getHttp().getPrefix());
		return new HttpServiceCatalog(ServiceCatalog.start(client,
				EtcdDiscoveryAutoConfiguration.settings(registry, discovery).withPrefix(prefix), heartbeats));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBlockingDiscoveryEnabled
	static class Blocking {

		@Bean
		@ConditionalOnMissingBean
		EtcdDiscoveryClient etcdDiscoveryClient(ServiceCatalog catalog, HttpServiceCatalog http,
				EtcdDiscoveryProperties discovery) {
			return new EtcdDiscoveryClient(catalog, http.catalog(), discovery.getRequestTimeout());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flux.class)
	@ConditionalOnReactiveDiscoveryEnabled
	static class Reactive {

		@Bean
		@ConditionalOnMissingBean
		EtcdReactiveDiscoveryClient etcdReactiveDiscoveryClient(ServiceCatalog catalog, HttpServiceCatalog http,
				EtcdDiscoveryProperties discovery) {
			return new EtcdReactiveDiscoveryClient(
					new EtcdDiscoveryClient(catalog, http.catalog(), discovery.getRequestTimeout()));
		}

	}

}
