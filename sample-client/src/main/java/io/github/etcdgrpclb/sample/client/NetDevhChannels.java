package io.github.etcdgrpclb.sample.client;

import io.grpc.Channel;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The channel to {@code etcd:///simple_grpc}: net.devh's client {@code simple} (grpc.client.simple.*). */
@Configuration(proxyBeanMethods = false)
class NetDevhChannels {

	@Bean
	Channel simpleChannel(GrpcChannelFactory channels) {
		return channels.createChannel("simple");
	}

}
