package io.github.etcdgrpclb.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.actuate.EtcdHealthProbe;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.endpoint.ServiceRegistryEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Cloud's {@code /actuator/serviceregistry} on a whole server application of each line (its own
 * gRPC server): the registration it shows, and an operator's drain and return through it, or through
 * the operator's key in etcd (what the console writes).
 */
class EtcdServiceRegistryTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void outOfServiceShouldDrainTheServerWhileItServesAndUpShouldRegisterItAgain() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(), "grpc.weight=3",
				"management.endpoints.web.exposure.include=serviceregistry")) {
			int port = context.getBean(EchoServerApplication.ServerPort.class).get();
			String key = "/grpclb/echo/127.0.0.1:" + port;
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			Registration registration = context.getBean(Registration.class);
			assertThat(registration.getServiceId()).isEqualTo("echo");
			assertThat(registration.getHost()).isEqualTo("127.0.0.1");
			assertThat(registration.getPort()).isEqualTo(port);
			assertThat(registration.getMetadata()).containsEntry("weight", "3");
			ServiceRegistryEndpoint endpoint = context.getBean(ServiceRegistryEndpoint.class);
			assertThat(endpoint.getStatus().getBody()).isEqualTo("UP");

			endpoint.setStatus("OUT_OF_SERVICE");
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) == null);
			assertThat(endpoint.getStatus().getBody()).isEqualTo("OUT_OF_SERVICE");
			ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
			try {
				assertThat(EchoCalls.call(channel, "drained")).as("still serving").isEqualTo("echo:drained");
			}
			finally {
				channel.shutdownNow();
			}

			endpoint.setStatus("up");
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(endpoint.getStatus().getBody()).isEqualTo("UP");
			assertThatIllegalArgumentException().isThrownBy(() -> endpoint.setStatus("DOWN"))
				.withMessageContaining("use UP")
				.withMessageContaining("OUT_OF_SERVICE");
		}
	}

	@Test
	void drainByAnOperatorsKeyShouldShowAsOutOfServiceInTheRegistryAndHealth() throws Exception {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(), "grpc.weight=3",
				"management.endpoints.web.exposure.include=serviceregistry")) {
			int port = context.getBean(EchoServerApplication.ServerPort.class).get();
			String key = "/grpclb/echo/127.0.0.1:" + port;
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			ServiceRegistryEndpoint endpoint = context.getBean(ServiceRegistryEndpoint.class);

			raw.put("/grpclb-ops/echo/127.0.0.1:" + port, "{\"drained\":true,\"by\":\"console\"}");
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) == null);
			await().atMost(Duration.ofSeconds(5)).until(() -> "OUT_OF_SERVICE".equals(endpoint.getStatus().getBody()));
			EtcdHealthProbe health = new EtcdHealthProbe(context.getBean(Client.class), etcd.endpoints(),
					context.getBeanProvider(ServerRegistry.class), Duration.ofSeconds(2));
			assertThat(health.check().state()).isEqualTo(EtcdHealthProbe.State.OUT_OF_SERVICE);

			raw.delete("/grpclb-ops/echo/127.0.0.1:" + port);
			await().atMost(Duration.ofSeconds(5)).until(() -> "3".equals(raw.values("/grpclb/echo/").get(key)));
			assertThat(endpoint.getStatus().getBody()).isEqualTo("UP");
		}
	}

}
