package io.github.etcdgrpclb.spring.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * A Boot 4.1 application with Spring Boot's own gRPC server and client and the Boot 4 starter,
 * against a real etcd: what a Boot 3.5 application does, it does.
 */
class SpringGrpcIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static final HttpClient http = HttpClient.newHttpClient();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@Test
	void serverOnPortZeroShouldRegisterItsBoundPortWithTheWeightAsPlainInteger() {
		try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(), "grpc.weight=3")) {
			int port = port(context);
			assertThat(port).isPositive();
			String key = "/grpclb/echo/127.0.0.1:" + port;
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			assertThat(raw.get(key).getValue().toString(StandardCharsets.UTF_8)).isEqualTo("3");
			ServerRegistry registrations = context.getBean(ServerRegistry.class);
			assertThat(registrations.statuses().get(0).state()).isEqualTo(RegistrationState.REGISTERED);
			assertThat(raw.get(key).getLease()).isEqualTo(registrations.statuses().get(0).leaseId());
		}
	}

	@Test
	void springGrpcChannelShouldSpreadCallsByWeightUnlessAPolicyIsSet() {
		try (ConfigurableApplicationContext light = EchoServerApplication.start(etcd.endpoints(),
				"spring.application.name=spread", "echo.name=light", "grpc.weight=1");
				ConfigurableApplicationContext heavy = EchoServerApplication.start(etcd.endpoints(),
						"spring.application.name=spread", "echo.name=heavy", "grpc.weight=3");
				ConfigurableApplicationContext client = EchoServerApplication.start(etcd.endpoints(),
						"etcd.registry.enabled=false", "spring.grpc.server.enabled=false",
						"spring.grpc.client.channel.weighted.target=etcd:///spread",
						"spring.grpc.client.channel.even.target=etcd:///spread",
						"spring.grpc.client.channel.even.default.load-balancing-policy=round_robin")) {
			GrpcChannelFactory channels = client.getBean(GrpcChannelFactory.class);
			ManagedChannel weighted = channels.createChannel("weighted");
			EchoCalls.awaitServing(weighted, 2);
			EchoCalls.awaitEtcdWeights(weighted);
			EchoCalls.assertFits(EchoCalls.call(weighted, 4000), Map.of("light", 1, "heavy", 3));
			ManagedChannel even = channels.createChannel("even");
			EchoCalls.awaitServing(even, 2);
			EchoCalls.assertFits(EchoCalls.call(even, 2000), Map.of("light", 1, "heavy", 1));
		}
	}

	@Test
	void endpointHealthAndPrometheusShouldAnswerOverHttp() throws Exception {
		// An underscore, like the tutorial's simple_grpc: the channel authority becomes echo-svc, the
		// meters keep the etcd service name.
		try (ConfigurableApplicationContext app = EchoServerApplication
			.builder(etcd.endpoints(), "spring.application.name=echo_svc", "grpc.weight=2", "server.port=0",
					"server.address=127.0.0.1", "management.endpoints.web.exposure.include=health,grpclb,prometheus",
					"management.endpoint.health.show-details=always")
			.web(WebApplicationType.SERVLET)
			.run()) {
			String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort()
					+ "/actuator";
			String address = "127.0.0.1:" + port(app);
			String key = "/grpclb/echo_svc/" + address;
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get(key) != null);
			ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///echo_svc").usePlaintext().build();
			try {
				EchoCalls.awaitServing(channel, 1);
				String grpclb = get(base + "/grpclb").body();
				assertThat(grpclb).contains("\"key\":\"" + key + "\"", "\"state\":\"REGISTERED\"", "\"weight\":2",
						"\"target\":\"etcd:///echo_svc\"");
				HttpResponse<String> health = get(base + "/health/etcd");
				assertThat(health.statusCode()).isEqualTo(200);
				assertThat(health.body()).contains("\"status\":\"UP\"", "\"clusterId\"", key);
				HttpResponse<String> weight = http.send(HttpRequest.newBuilder(URI.create(base + "/grpclb"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"weight\": 4}"))
					.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(weight.statusCode()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> raw.get(key).getValue().toString(StandardCharsets.UTF_8).equals("4"));
				String metrics = get(base + "/prometheus").body();
				assertThat(metrics).contains("grpclb_registrations{service=\"echo_svc\",state=\"REGISTERED\"} 1.0",
						"grpclb_resolver_instances{service=\"echo_svc\"}",
						"grpclb_balancer_picks_total{address=\"" + address + "\",service=\"echo_svc\"}",
						"etcd_client_requests_seconds_count{");
			}
			finally {
				channel.shutdownNow();
			}
		}
	}

	@Test
	void endpointWriteOnAClientOnlyApplicationShouldAnswerConflictWithAReason() throws Exception {
		try (ConfigurableApplicationContext app = EchoServerApplication
			.builder(etcd.endpoints(), "etcd.registry.enabled=false", "spring.grpc.server.enabled=false", "server.port=0",
					"server.address=127.0.0.1", "management.endpoints.web.exposure.include=grpclb")
			.web(WebApplicationType.SERVLET)
			.run()) {
			String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort()
					+ "/actuator";
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/grpclb"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"weight\": 4}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.body()).contains("This application registers no gRPC server in etcd");
		}
	}

	private static HttpResponse<String> get(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	static int port(ConfigurableApplicationContext context) {
		return context.getBean(EchoServerApplication.ServerPort.class).get();
	}

}
