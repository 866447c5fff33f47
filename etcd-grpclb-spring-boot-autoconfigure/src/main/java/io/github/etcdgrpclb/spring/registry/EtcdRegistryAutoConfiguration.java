package io.github.etcdgrpclb.spring.registry;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.balancer.GrpclbTags;
import io.grpc.ServerInterceptor;
import net.devh.boot.grpc.server.interceptor.GrpcGlobalServerInterceptor;
import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration that registers the application's net.devh gRPC server in etcd.
 */
@AutoConfiguration(after = EtcdAutoConfiguration.class)
@ConditionalOnClass({ Client.class, GrpcServerStartedEvent.class })
@ConditionalOnBean(Client.class)
@ConditionalOnProperty(prefix = "etcd.registry", name = "enabled", matchIfMissing = true)
@Import(EtcdRegistryConfiguration.class)
public class EtcdRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NetDevhServerRegistrationListener netDevhServerRegistrationListener(EtcdServerRegistry registrations) {
		return new NetDevhServerRegistrationListener(registrations);
	}

	/** The grpclb-tag of each call served goes into its Context, for the calls it makes (see {@link GrpclbTags}). */
	@Bean
	@GrpcGlobalServerInterceptor
	@ConditionalOnMissingBean(name = "grpclbTagFromIncomingCalls")
	@ConditionalOnProperty(prefix = "etcd.discovery.tags", name = "propagate", matchIfMissing = true)
	ServerInterceptor grpclbTagFromIncomingCalls() {
		return GrpclbTags.fromIncomingCalls();
	}

}
