package io.github.etcdgrpclb.spring.discovery;

import java.util.List;

import io.github.etcdgrpclb.balancer.GrpclbTags;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannelBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.client.GrpcChannelBuilderCustomizer;

/**
 * Spring gRPC channels: {@code etcd:///} targets get the {@code weight} balancer from the resolver.
 * Spring Boot sets every channel's default policy ({@code round_robin} unless told otherwise), which
 * the resolver's service config overrides; a policy the user set on purpose,
 * {@code spring.grpc.client.channel.<name>.default.load-balancing-policy} (or the {@code default}
 * channel's), wins instead.
 */
@AutoConfiguration(after = EtcdDiscoveryAutoConfiguration.class)
@ConditionalOnClass(GrpcChannelBuilderCustomizer.class)
@ConditionalOnProperty(prefix = "etcd.discovery", name = "enabled", matchIfMissing = true)
public class EtcdGrpcClientAutoConfiguration {

	/**
	 * Spring Boot's channel factory takes the customizers when it is created; asking for the resolver
	 * registration here puts the application's etcd resolvers in grpc's registry before any channel
	 * exists (a stub {@code @Bean} made from the factory would otherwise resolve {@code etcd:///}
	 * with the endpoint-less default provider).
	 */
	@Bean
	<T extends ManagedChannelBuilder<T>> GrpcChannelBuilderCustomizer<T> explicitLoadBalancingPolicyCustomizer(
			Environment environment, ObjectProvider<EtcdNameResolverRegistration> resolvers) {
		resolvers.getIfAvailable(); // created now: its afterPropertiesSet registers the resolvers
		ExplicitLoadBalancingPolicy policy = new ExplicitLoadBalancingPolicy(environment);
		return (name, builder) -> {
			if (policy.isSet(List.of(property(name), property("default")))) {
				builder.disableServiceConfigLookUp();
			}
		};
	}

	/** Calls made while serving a tagged call carry its grpclb-tag on (see {@link GrpclbTags}). */
	@Bean
	@GlobalClientInterceptor
	@ConditionalOnMissingBean(name = "grpclbTagPropagation")
	@ConditionalOnProperty(prefix = "etcd.discovery.tags", name = "propagate", matchIfMissing = true)
	ClientInterceptor grpclbTagPropagation() {
		return GrpclbTags.propagating();
	}

	private static String property(String channel) {
		return "spring.grpc.client.channel." + channel + ".default.load-balancing-policy";
	}

}
