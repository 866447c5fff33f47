package io.github.etcdgrpclb.spring.support;

import io.github.etcdgrpclb.support.EchoService;

import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import net.devh.boot.grpc.server.service.GrpcService;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A whole Spring Boot gRPC server application with the starter, for integration tests: a real
 * net.devh server on a loopback port, registered in etcd by the auto-configuration.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class EchoServerApplication {

	@Bean
	@GrpcService
	EchoService echoService(Environment environment) {
		return new EchoService(environment.getProperty("echo.name", "echo"));
	}

	@Bean
	ServerPort serverPort() {
		return new ServerPort();
	}

	/** Remembers the port net.devh bound, from its started event. */
	public static class ServerPort implements ApplicationListener<GrpcServerStartedEvent> {

		private volatile int port;

		private volatile long startedNanos;

		@Override
		public void onApplicationEvent(GrpcServerStartedEvent event) {
			this.startedNanos = System.nanoTime();
			this.port = event.getPort();
		}

		public int get() {
			return this.port;
		}

		/** @return {@link System#nanoTime()} when the started event was seen */
		public long startedNanos() {
			return this.startedNanos;
		}

	}

	/**
	 * Starts a server on a random loopback port.
	 * @param endpoints etcd endpoints
	 * @param properties more properties, {@code key=value}
	 */
	public static ConfigurableApplicationContext start(String endpoints, String... properties) {
		return new SpringApplicationBuilder(EchoServerApplication.class).web(WebApplicationType.NONE)
			.properties("etcd.endpoints=" + endpoints, "spring.application.name=echo", "grpc.server.port=0",
					"grpc.server.address=127.0.0.1", "etcd.registry.address=127.0.0.1", "etcd.registry.ttl=2s",
					"etcd.registry.drain-delay=0s", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

}
