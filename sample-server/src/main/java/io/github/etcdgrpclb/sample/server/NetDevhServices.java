package io.github.etcdgrpclb.sample.server;

import net.devh.boot.grpc.server.service.GrpcService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** net.devh serves the beans annotated {@link GrpcService}. */
@Configuration(proxyBeanMethods = false)
class NetDevhServices {

	@Bean
	@GrpcService
	SimpleService simpleService() {
		return new SimpleService();
	}

}
