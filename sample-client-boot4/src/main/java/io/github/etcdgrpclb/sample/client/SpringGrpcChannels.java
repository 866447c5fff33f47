package io.github.etcdgrpclb.sample.client;

import io.grpc.ManagedChannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/** The channel to {@code etcd:///simple_grpc}: Spring gRPC's channel {@code simple} (spring.grpc.client.channel.simple.*). */
@Configuration(proxyBeanMethods = false)
class SpringGrpcChannels {

	@Bean
	ManagedChannel simpleChannel(GrpcChannelFactory channels) {
		return channels.createChannel("simple");
	}

}
