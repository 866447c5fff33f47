package io.github.etcdgrpclb.spring.cloud;

import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud Commons on the class path and a gRPC server registered in etcd: the registrations as
 * Spring Cloud's {@link ServiceRegistry} and {@link Registration}, so {@code /actuator/serviceregistry}
 * (exposed as any endpoint) shows the status and takes {@code OUT_OF_SERVICE} (drain) and {@code UP}.
 * Off with Spring Cloud's {@code spring.cloud.service-registry.enabled=false}.
 */
// EtcdRegistryAutoConfiguration is each Spring line's own, compiled beside this shared class under one name.
@AutoConfiguration(after = EtcdRegistryAutoConfiguration.class,
		beforeName = "org.springframework.cloud.client.serviceregistry.ServiceRegistryAutoConfiguration")
@ConditionalOnClass(ServiceRegistry.class)
@ConditionalOnBean(ServerRegistry.class)
@ConditionalOnProperty(prefix = "spring.cloud.service-registry", name = "enabled", matchIfMissing = true)
public class EtcdCloudServiceRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ServiceRegistry.class)
	EtcdServiceRegistry etcdServiceRegistry(ServerRegistry registry) {
		return new EtcdServiceRegistry(registry);
	}

	@Bean
	@ConditionalOnMissingBean(Registration.class)
	EtcdRegistration etcdRegistration(ServerRegistry registry) {
		return new EtcdRegistration(registry);
	}

}
