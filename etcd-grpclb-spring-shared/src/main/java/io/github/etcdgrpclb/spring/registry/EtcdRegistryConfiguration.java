package io.github.etcdgrpclb.spring.registry;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The registrations of the application's gRPC servers, the same on both Spring lines; each line's
 * {@code EtcdRegistryAutoConfiguration} imports it and adds the listener of its gRPC server's events.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ EtcdRegistryProperties.class, GrpcWeightProperties.class })
class EtcdRegistryConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdServerRegistry etcdServerRegistrations(Client client, EtcdRegistryProperties properties,
			GrpcWeightProperties weight, Environment environment) {
		RegistryEntryFactory registrations = new RegistryEntryFactory(properties, weight, environment);
		return new EtcdServerRegistry(client, registrations.serviceName(), registrations::create, registrations.ttl(),
				registrations.maxWeight(), registrations.drainDelay());
	}

	@Bean
	@ConditionalOnProperty(prefix = "etcd.registry.http", name = "enabled", havingValue = "true")
	HttpRegistration etcdHttpRegistration(Client client, EtcdRegistryProperties properties, GrpcWeightProperties weight,
			Environment environment, EtcdServerRegistry grpcRegistrations) {
		return new HttpRegistration(client, new RegistryEntryFactory(properties, weight, environment),
				KeyPrefixes.normalize("etcd.registry.http.prefix", properties.getHttp().getPrefix()), grpcRegistrations,
				environment);
	}

}
