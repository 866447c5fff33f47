package io.github.etcdgrpclb.spring.registry;

import static io.github.etcdgrpclb.etcd.EtcdBytes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.KeyValue;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.spring.etcd.FailureAnalyses;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application with a real net.devh gRPC server on loopback, registered in a
 * real etcd.
 */
class EtcdServiceRegistrationIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void serverShouldRegisterPrefixServiceAndBoundPortWithTheWeightAsPlainInteger() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(), "grpc.weight=3")) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(text(raw.get(key).getValue())).isEqualTo("3");
			assertThat(raw.get(key).getLease()).isEqualTo(status(context).leaseId());
			assertThat(status(context).state()).isEqualTo(RegistrationState.REGISTERED);
		}
	}

	@Test
	void jsonValueFormatShouldWriteGoEndpointsJsonThatClientsStillBalance() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
				"etcd.registry.value-format=json", "grpc.weight=6", "spring.application.name=json-echo")) {
			String address = "127.0.0.1:" + port(context);
			String key = "/grpclb/json-echo/" + address;
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(text(raw.get(key).getValue())).isEqualTo("{\"Op\":0,\"Addr\":\"" + address + "\",\"weight\":6}");
			io.grpc.ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///json-echo").usePlaintext().build();
			try {
				EchoCalls.awaitServing(channel, 1);
			}
			finally {
				channel.shutdownNow();
			}
		}
	}

	@Test
	void customPrefixAndServiceNameShouldShapeTheKey() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
				"etcd.registry.prefix=/services/", "etcd.registry.service-name=orders")) {
			String key = "/services/orders/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(text(raw.get(key).getValue())).isEqualTo("1");
		}
	}

	@Test
	void keyShouldOutliveThreeTtlsWhileTheServerRuns() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints())) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			long lease = raw.get(key).getLease();
			// TTL is 2 s: the same key on the same lease for 7 s proves the keep-alive.
			await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).until(() -> {
				KeyValue kv = raw.get(key);
				return kv != null && kv.getLease() == lease;
			});
			assertThat(status(context).lastKeepAlive()).isNotNull();
			assertThat(status(context).reRegistrations()).isZero();
		}
	}

	@Test
	void keyDeletedByHandShouldBePutBackOnTheSameLease() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(), "grpc.weight=2")) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			long lease = raw.get(key).getLease();
			raw.delete(key);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(raw.get(key).getLease()).isEqualTo(lease);
			assertThat(text(raw.get(key).getValue())).isEqualTo("2");
		}
	}

	@Test
	void leaseRevokedByHandShouldLeadToANewRegistration() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints())) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			long lease = raw.get(key).getLease();
			raw.revoke(lease);
			await().atMost(Duration.ofSeconds(5)).until(() -> {
				KeyValue kv = raw.get(key);
				return kv != null && kv.getLease() != lease && kv.getLease() == status(context).leaseId();
			});
			assertThat(status(context).reRegistrations()).isEqualTo(1);
			assertThat(raw.list("/grpclb/echo/")).hasSize(1);
		}
	}

	@Test
	void keyLeftByAPreviousProcessOnTheSameAddressShouldBeTakenOver() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		String key = "/grpclb/echo/127.0.0.1:" + port;
		long previousLease = raw.client().getLeaseClient().grant(60).get(5, TimeUnit.SECONDS).getID();
		raw.client().getKVClient().put(io.github.etcdgrpclb.etcd.EtcdBytes.bytes(key),
				io.github.etcdgrpclb.etcd.EtcdBytes.bytes("9"),
				io.etcd.jetcd.options.PutOption.builder().withLeaseId(previousLease).build()).get(5, TimeUnit.SECONDS);
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
				"grpc.server.port=" + port)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key).getLease() == status(context).leaseId());
			assertThat(text(raw.get(key).getValue())).isEqualTo("1");
			// The previous process's lease expiring must not take our key with it.
			raw.revoke(previousLease);
			assertThat(raw.get(key)).isNotNull();
		}
	}

	@Test
	void weightChangeShouldRePutTheValueOnTheSameLease() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints())) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			long lease = raw.get(key).getLease();
			context.getBean(ServerRegistry.class).updateWeight(7);
			assertThat(text(raw.get(key).getValue())).isEqualTo("7");
			assertThat(raw.get(key).getLease()).isEqualTo(lease);
			assertThat(status(context).registration().weight()).isEqualTo(7);
		}
	}

	@Test
	void operatorDeregisterAndRegisterShouldRemoveAndRestoreTheKey() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints())) {
			String key = "/grpclb/echo/127.0.0.1:" + port(context);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			ServerRegistry registration = context.getBean(ServerRegistry.class);
			registration.deregister();
			assertThat(raw.get(key)).isNull();
			assertThat(status(context).state()).isEqualTo(RegistrationState.DEREGISTERED);
			registration.register();
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
		}
	}

	@Test
	void inProcessOnlyServerShouldRegisterNothing() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
				"grpc.server.port=-1", "grpc.server.in-process-name=inproc")) {
			assertThat(context.getBean(ServerRegistry.class).statuses()).isEmpty();
		}
	}

	@Test
	void serverWithServicesButNoServiceNameShouldFailStartupNamingTheProperty() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> EchoServerApplication.start(etcd.endpoints(), "spring.application.name="))
			.satisfies((failure) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(failure);
				assertThat(analysis.getDescription()).contains("'etcd.registry.service-name'");
				assertThat(analysis.getAction()).contains("spring.application.name");
			});
	}

	@Test
	void clientOnlyApplicationShouldRegisterNothingThoughNetDevhStartsAServer() {
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(ClientOnlyApplication.class)
			.web(WebApplicationType.NONE)
			.run("--etcd.endpoints=" + etcd.endpoints(), "--grpc.server.port=0", "--spring.application.name=client-app",
					"--spring.main.banner-mode=off")) {
			assertThat(client.getBean(ServerRegistry.class).statuses()).isEmpty();
			assertThat(raw.list("/grpclb/client-app/")).isEmpty();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClientOnlyApplication {

	}

	static int port(ConfigurableApplicationContext context) {
		return context.getBean(EchoServerApplication.ServerPort.class).get();
	}

	static RegistrationStatus status(ConfigurableApplicationContext context) {
		return context.getBean(ServerRegistry.class).statuses().get(0);
	}

}
