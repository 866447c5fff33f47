package io.github.etcdgrpclb.autoconfigure;

import io.etcd.jetcd.Client;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration that registers the application's net.devh gRPC server in etcd.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ Client.class, GrpcServerStartedEvent.class })
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(prefix = "etcd.registry", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EtcdRegistryProperties.class, GrpcWeightProperties.class })
public class EtcdRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EtcdAutoServiceRegistration etcdAutoServiceRegistration(Client client, EtcdRegistryProperties properties,
			GrpcWeightProperties weight, Environment environment) {
		return new EtcdAutoServiceRegistration(client, new ServiceRegistrationFactory(properties, weight, environment));
	}

}
