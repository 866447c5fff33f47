package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.github.etcdgrpclb.etcd.GrpcVersions;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Boot 3.5 application built the way a new user builds it (this module's pom: Spring Boot's
 * parent, our starter, netty.version and nothing else) resolves one grpc-java version, starts,
 * registers its net.devh server in etcd and calls itself through {@code etcd:///orders} with the
 * client settings the README shows.
 */
class UserApplicationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@Test
	void applicationWithOnlyTheStarterAndNettyVersionShouldStartRegisterAndCallThroughEtcd() {
		Map<String, String> grpc = GrpcVersions.found(getClass().getClassLoader());
		assertThat(grpc).containsKeys("grpc-core", "grpc-netty-shaded", "grpc-inprocess", "grpc-services");
		assertThat(grpc.values()).as("one grpc-java version: %s", grpc).containsOnly(grpc.get("grpc-core"));
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrdersApplication.class)
			.web(WebApplicationType.NONE)
			.run("--etcd.endpoints=" + etcd.endpoints(), "--spring.application.name=orders", "--grpc.weight=3",
					"--grpc.server.port=0", "--grpc.server.address=127.0.0.1", "--etcd.registry.address=127.0.0.1",
					"--grpc.client.orders.address=etcd:///orders", "--grpc.client.orders.negotiation-type=plaintext",
					"--etcd.registry.drain-delay=0s")) {
			OrdersCaller caller = app.getBean(OrdersCaller.class);
			await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(caller.route("x"))
				.isEqualTo("hello x"));
		}
	}

}
