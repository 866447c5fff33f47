package io.github.etcdgrpclb.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Spring Cloud LoadBalancer's {@code lb://} over etcd: two web applications register their HTTP ports
 * ({@code etcd.registry.http.enabled}) with weights 1 and 3, and a {@code @LoadBalanced RestClient}
 * with Spring Cloud's weighted configuration spreads its calls by them; a closed application's HTTP
 * key goes before its web server stops.
 */
class LoadBalancedHttpTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void lbCallsShouldSpreadByEtcdWeightAcrossTwoRegisteredWebApplications() {
		try (ConfigurableApplicationContext one = web("one", 1); ConfigurableApplicationContext three = web("three", 3);
				ConfigurableApplicationContext client = client()) {
			String oneKey = "/http/http-echo/127.0.0.1:" + one.getEnvironment().getProperty("local.server.port");
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.list("/http/http-echo/").size() == 2);
			assertThat(raw.values("/http/http-echo")).containsEntry(oneKey, "1").containsValue("3");
			assertThat(client.getBean(DiscoveryClient.class).getInstances("http-echo")).hasSize(2);
			RestClient rest = client.getBean(RestClient.Builder.class).build();
			Map<String, Long> counts = new TreeMap<>();
			for (int i = 0; i < 400; i++) {
				counts.merge(rest.get().uri("http://http-echo/name").retrieve().body(String.class), 1L, Long::sum);
			}
			EchoCalls.assertFits(counts, Map.of("one", 1, "three", 3));
			one.close();
			assertThat(raw.get(oneKey)).as("deregistered on close").isNull();
		}
	}

	private static ConfigurableApplicationContext web(String name, int weight) {
		return NameWebApplication.start(name, "--etcd.endpoints=" + etcd.endpoints(), "--spring.application.name=http-echo",
				"--etcd.registry.http.enabled=true", "--grpc.weight=" + weight);
	}

	private static ConfigurableApplicationContext client() {
		return new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE)
			.properties("etcd.endpoints=" + etcd.endpoints(), "etcd.registry.enabled=false",
					"spring.cloud.loadbalancer.configurations=weighted", "grpc.server.port=-1",
					"spring.grpc.server.enabled=false", "spring.main.banner-mode=off")
			.run();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientApplication {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClient() {
			return RestClient.builder();
		}

	}

}
