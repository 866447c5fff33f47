package io.github.etcdgrpclb.sample.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A weighted gRPC server that registers itself in etcd and imports configuration from it:
 * {@code java -jar sample-server.jar --grpc.server.port=9001 --grpc.weight=4}.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ReportProperties.class)
public class SampleServerApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleServerApplication.class, args);
	}

}
