package io.github.etcdgrpclb.spring.discovery;

import java.util.List;

import io.github.etcdgrpclb.balancer.GrpclbTags;
import io.grpc.ClientInterceptor;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelConfigurer;
import net.devh.boot.grpc.client.interceptor.GrpcGlobalClientInterceptor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * net.devh channels: {@code etcd:///} targets get the {@code weight} balancer from the resolver,
 * unless {@code grpc.client.<name>.default-load-balancing-policy} (or {@code GLOBAL}'s) is set.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class)
@ConditionalOnClass(GrpcChannelConfigurer.class)
@ConditionalOnProperty(prefix = "etcd.discovery", name = "enabled", matchIfMissing = true)
public class EtcdGrpcClientAutoConfiguration {

	/**
	 * net.devh's channel factory takes the configurers when it is created; asking for the resolver
	 * registration here puts the application's etcd resolvers in grpc's registry before any channel
	 * exists (a channel made during startup, such as a {@code @GrpcClient} field or a channel
	 * {@code @Bean}, would otherwise resolve {@code etcd:///} with the endpoint-less default provider).
	 */
	@Bean
	GrpcChannelConfigurer explicitLoadBalancingPolicyConfigurer(Environment environment,
			ObjectProvider<EtcdNameResolverRegistration> resolvers) {
		resolvers.getIfAvailable(); // created now: its afterPropertiesSet registers the resolvers
		ExplicitLoadBalancingPolicy policy = new ExplicitLoadBalancingPolicy(environment);
		return (builder, name) -> {
			List<String> properties = List.of(property(name), property("GLOBAL"),
					"grpc.client." + name + ".defaultLoadBalancingPolicy");
			if (policy.isSet(properties)) {
				builder.disableServiceConfigLookUp();
			}
		};
	}

	/** Calls made while serving a tagged call carry its grpclb-tag on (see {@link GrpclbTags}). */
	@Bean
	@GrpcGlobalClientInterceptor
	@ConditionalOnMissingBean(name = "grpclbTagPropagation")
	@ConditionalOnProperty(prefix = "etcd.discovery.tags", name = "propagate", matchIfMissing = true)
	ClientInterceptor grpclbTagPropagation() {
		return GrpclbTags.propagating();
	}

	private static String property(String client) {
		return "grpc.client." + client + ".default-load-balancing-policy";
	}

}
