package io.github.etcdgrpclb.spring.registry;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The startup warning for an application with gRPC services that registered no server in etcd. Not
 * part of {@link EtcdRegistryAutoConfiguration}: it matters exactly when that one did not apply (a
 * server of the other Spring line's gRPC integration, say).
 */
@AutoConfiguration(after = { EtcdAutoConfiguration.class, EtcdRegistryAutoConfiguration.class })
@ConditionalOnClass(value = Client.class, name = "io.grpc.BindableService")
@ConditionalOnProperty(prefix = "etcd.registry", name = "enabled", matchIfMissing = true)
public class UnregisteredServerWarningAutoConfiguration {

	@Bean
	UnregisteredServerWarning etcdUnregisteredServerWarning(ListableBeanFactory beans,
			ObjectProvider<ServerRegistry> registrations) {
		return new UnregisteredServerWarning(beans, registrations);
	}

}
