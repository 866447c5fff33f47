package io.github.etcdgrpclb.sample.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Calls {@code etcd:///simple_grpc} and prints how the calls spread over the servers.
 */
@SpringBootApplication
@EnableConfigurationProperties(DemoProperties.class)
public class SampleClientApplication {

	public static void main(String[] args) {
		System.exit(SpringApplication.exit(SpringApplication.run(SampleClientApplication.class, args)));
	}

}
