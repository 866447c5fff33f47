package io.github.etcdgrpclb.sample.server;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring Boot's gRPC server serves every {@code BindableService} bean. */
@Configuration(proxyBeanMethods = false)
class SpringGrpcServices {

	@Bean
	SimpleService simpleService() {
		return new SimpleService();
	}

}
