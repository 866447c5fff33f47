package io.github.etcdgrpclb.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.etcdgrpclb.discovery.EtcdResolverSettings;
import io.github.etcdgrpclb.discovery.ServiceCatalog;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.support.FakePrefixSource;
import io.github.etcdgrpclb.support.FakeTimer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The etcd registry as Spring Cloud's discovery clients, against a real etcd: every service with its
 * instances as the Go tutorial and our servers register them, a change seen through one watch event
 * with a {@link HeartbeatEvent}, and the auto-configuration backing off without Spring Cloud.
 */
class EtcdCloudDiscoveryAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class,
				EtcdCloudDiscoveryAutoConfiguration.class));

	@Test
	void discoveryClientShouldListEveryServiceWithItsInstancesWeightAndMetadata() {
		raw.put("/grpclb/cloud-orders/127.0.0.1:9001", "3");
		raw.put("/grpclb-meta/cloud-orders/127.0.0.1:9001", "{\"zone\":\"eu-1a\",\"secure\":\"true\"}");
		raw.put("/grpclb/cloud-orders/127.0.0.1:9002", "not a number"); // the tutorial: weight 1
		raw.put("/grpclb/cloud-billing/127.0.0.1:7000", "1");
		this.contextRunner.withPropertyValues("etcd.endpoints=" + etcd.endpoints()).run((context) -> {
			DiscoveryClient client = context.getBean(DiscoveryClient.class);
			assertThat(client.getServices()).contains("cloud-billing", "cloud-orders");
			List<ServiceInstance> orders = client.getInstances("cloud-orders");
			assertThat(orders).extracting(ServiceInstance::getHost, ServiceInstance::getPort, ServiceInstance::isSecure)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1", 9001, true),
						org.assertj.core.groups.Tuple.tuple("127.0.0.1", 9002, false));
			assertThat(orders.get(0).getMetadata()).containsEntry("zone", "eu-1a")
				.containsEntry("weight", "3")
				.containsEntry("gRPC_port", "9001");
			assertThat(orders.get(0).getServiceId()).isEqualTo("cloud-orders");
			assertThat(orders.get(1).getMetadata()).containsEntry("weight", "1");
			assertThat(client.getInstances("cloud-unknown")).isEmpty();

			// Spring Cloud offers reactive clients with WebFlux only; the client itself works on any catalog.
			assertThat(context).doesNotHaveBean(ReactiveDiscoveryClient.class);
			ReactiveDiscoveryClient reactive = new EtcdReactiveDiscoveryClient((EtcdDiscoveryClient) client);
			assertThat(reactive.getInstances("cloud-orders").collectList().block(Duration.ofSeconds(5)))
				.extracting(ServiceInstance::getPort)
				.containsExactly(9001, 9002);
		});
	}

	@Test
	void newServerShouldBeAnInstanceWhenItsHeartbeatEventArrives() {
		this.contextRunner.withUserConfiguration(Heartbeats.class)
			.withPropertyValues("etcd.endpoints=" + etcd.endpoints())
			.run((context) -> {
				DiscoveryClient client = context.getBean(DiscoveryClient.class);
				assertThat(client.getInstances("cloud-payments")).isEmpty();
				Heartbeats heartbeats = context.getBean(Heartbeats.class);
				int before = heartbeats.seen.size();

				raw.put("/grpclb/cloud-payments/127.0.0.1:8001", "2");

				await().atMost(Duration.ofSeconds(5)).until(() -> heartbeats.seen.size() > before);
				assertThat(heartbeats.seen.get(heartbeats.seen.size() - 1)).as("what a listener sees on the event")
					.containsExactly(8001);
				raw.delete("/grpclb/cloud-payments/127.0.0.1:8001");
				await().atMost(Duration.ofSeconds(5)).until(() -> client.getInstances("cloud-payments").isEmpty());
			});
	}

	@Test
	void withoutSpringCloudCommonsShouldBackOff() {
		this.contextRunner.withPropertyValues(NoEtcd.PROPERTIES)
			.withClassLoader(new FilteredClassLoader(DiscoveryClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceCatalog.class));
	}

	@Test
	void disabledByEitherPropertyShouldBackOff() {
		this.contextRunner.withPropertyValues(NoEtcd.PROPERTIES)
			.withPropertyValues("etcd.discovery.cloud.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceCatalog.class)
				.doesNotHaveBean(DiscoveryClient.class));
		this.contextRunner.withPropertyValues(NoEtcd.PROPERTIES)
			.withPropertyValues("spring.cloud.discovery.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceCatalog.class));
	}

	@Test
	void usersOwnDiscoveryClientShouldReplaceOurs() {
		this.contextRunner.withPropertyValues(NoEtcd.PROPERTIES)
			.withBean("mine", EtcdDiscoveryClient.class, () -> new EtcdDiscoveryClient(new ServiceCatalog(
					new FakePrefixSource(), EtcdResolverSettings.DEFAULT, new FakeTimer(), (services) -> {
					}), Duration.ZERO))
			.run((context) -> assertThat(context).getBeans(EtcdDiscoveryClient.class).containsOnlyKeys("mine"));
	}

	/** Records, on each heartbeat, the ports the discovery client then answers for cloud-payments. */
	@Configuration(proxyBeanMethods = false)
	static class Heartbeats {

		final List<List<Integer>> seen = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<HeartbeatEvent> heartbeatRecorder(DiscoveryClient client) {
			return (event) -> this.seen.add(client.getInstances("cloud-payments").stream().map(ServiceInstance::getPort).toList());
		}

	}

}
