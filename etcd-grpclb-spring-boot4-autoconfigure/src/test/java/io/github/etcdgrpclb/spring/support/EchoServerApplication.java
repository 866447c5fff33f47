package io.github.etcdgrpclb.spring.support;

import io.github.etcdgrpclb.support.EchoService;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A whole Spring Boot 4.1 gRPC server application with the starter, for integration tests: a real
 * Spring Boot gRPC server on a loopback port, registered in etcd by the auto-configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EchoServerApplication {

	@Bean
	EchoService echoService(Environment environment) {
		return new EchoService(environment.getProperty("echo.name", "echo"));
	}

	@Bean
	ServerPort serverPort() {
		return new ServerPort();
	}

	/** Remembers the port Spring gRPC bound, from its started event. */
	public static class ServerPort implements ApplicationListener<GrpcServerStartedEvent> {

		private volatile int port;

		@Override
		public void onApplicationEvent(GrpcServerStartedEvent event) {
			this.port = event.getPort();
		}

		public int get() {
			return this.port;
		}

	}

	/**
	 * Starts a server on a random loopback port.
	 * @param endpoints etcd endpoints
	 * @param properties more properties, {@code key=value}
	 */
	public static ConfigurableApplicationContext start(String endpoints, String... properties) {
		return builder(endpoints, properties).web(WebApplicationType.NONE).run();
	}

	/** @return the application with the test's settings, to be given a web type and run */
	public static SpringApplicationBuilder builder(String endpoints, String... properties) {
		return new SpringApplicationBuilder(EchoServerApplication.class)
			.properties("etcd.endpoints=" + endpoints, "spring.application.name=echo", "spring.grpc.server.port=0",
					"spring.grpc.server.address=127.0.0.1", "etcd.registry.address=127.0.0.1", "etcd.registry.ttl=2s",
					"etcd.registry.drain-delay=0s", "spring.main.banner-mode=off")
			.properties(properties);
	}

}
