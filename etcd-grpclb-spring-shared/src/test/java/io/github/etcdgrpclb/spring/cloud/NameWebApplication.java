package io.github.etcdgrpclb.spring.cloud;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application with the starter that answers GET /name with its name, on a loopback port of its
 * own and without a gRPC server, for the tests of HTTP registrations and {@code lb://} calls.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class NameWebApplication {

	@Value("${echo.name}")
	private String name;

	@GetMapping("/name")
	String name() {
		return this.name;
	}

	public static ConfigurableApplicationContext start(String name, String... arguments) {
		return new SpringApplicationBuilder(NameWebApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "etcd.registry.address=127.0.0.1",
					"echo.name=" + name,
					// no gRPC server on either line
					"grpc.server.port=-1", "spring.grpc.server.enabled=false", "spring.main.banner-mode=off")
			.run(arguments);
	}

}
