package io.github.etcdgrpclb.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The actuator side over real HTTP: a whole web application with the starter (a net.devh server
 * registered in a real etcd, a client channel on {@code etcd:///echo}, a held lock), read through
 * {@code /actuator/grpclb}, {@code /actuator/health/etcd} and {@code /actuator/prometheus}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpclbActuatorIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static final ObjectMapper json = new ObjectMapper();

	static final HttpClient http = HttpClient.newHttpClient();

	static ConfigurableApplicationContext app;

	static String base;

	static int grpcPort;

	static ManagedChannel channel;

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	@BeforeAll
	static void start() {
		app = new SpringApplicationBuilder(EchoServerApplication.class).web(WebApplicationType.SERVLET)
			.properties("etcd.endpoints=" + etcd.endpoints(), "spring.application.name=echo", "grpc.server.port=0",
					"grpc.server.address=127.0.0.1", "etcd.registry.address=127.0.0.1", "etcd.registry.ttl=2s",
					"etcd.registry.drain-delay=0s", "grpc.weight=3", "server.port=0", "server.address=127.0.0.1",
					"spring.main.banner-mode=off", "management.endpoints.web.exposure.include=health,grpclb,prometheus",
					"management.endpoint.health.show-details=always",
					// what the Grafana dashboard shows too: a leader election and configuration from etcd
					"etcd.leader.enabled=true", "etcd.leader.ttl=2s")
			.run("--spring.config.import=optional:etcd:");
		base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort() + "/actuator";
		grpcPort = app.getBean(EchoServerApplication.ServerPort.class).get();
		// The application's own resolver provider (registered in grpc's default registry) serves this channel.
		channel = ManagedChannelBuilder.forTarget("etcd:///echo").defaultLoadBalancingPolicy("weight").usePlaintext().build();
		EchoCalls.awaitServing(channel, 1);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		app.close();
	}

	@Test
	@Order(1)
	void endpointShouldShowTheRegistrationTheResolvedTargetAndTheHeldLock() throws Exception {
		long picksBefore = picks();
		EchoCalls.call(channel, 50);
		try (LockLease lock = app.getBean(EtcdLockTemplate.class).tryLock("report", Duration.ZERO)) {
			JsonNode body = get("/grpclb");
			JsonNode registration = body.path("registrations").get(0);
			String key = "/grpclb/echo/127.0.0.1:" + grpcPort;
			assertThat(registration.path("key").asText()).isEqualTo(key);
			assertThat(registration.path("service").asText()).isEqualTo("echo");
			assertThat(registration.path("weight").asInt()).isEqualTo(3);
			assertThat(registration.path("state").asText()).isEqualTo("REGISTERED");
			assertThat(registration.path("ttlSeconds").asLong()).isEqualTo(2);
			assertThat(registration.path("leaseId").asText()).isEqualTo(Long.toHexString(raw.get(key).getLease()));
			assertThat(registration.path("lastKeepAlive").asText()).isNotEmpty();

			JsonNode target = body.path("targets").get(0);
			assertThat(target.path("target").asText()).isEqualTo("etcd:///echo");
			assertThat(target.path("keyPrefix").asText()).isEqualTo("/grpclb/echo/");
			JsonNode instance = target.path("instances").get(0);
			assertThat(instance.path("address").asText()).isEqualTo("127.0.0.1:" + grpcPort);
			assertThat(instance.path("weight").asInt()).isEqualTo(3);
			assertThat(instance.path("state").asText()).isEqualTo("READY");
			assertThat(instance.path("picks").asLong()).isGreaterThanOrEqualTo(picksBefore + 50);
			assertThat(instance.path("effectiveWeight").asDouble()).isEqualTo(3.0);
			assertThat(instance.path("health").asText()).isEqualTo("healthy");
			assertThat(instance.has("ejectedUntil")).isTrue();

			JsonNode held = body.path("locks").get(0);
			assertThat(held.path("name").asText()).isEqualTo("/locks/report");
			assertThat(held.path("token").asLong()).isEqualTo(lock.token());
			assertThat(held.path("valid").asBoolean()).isTrue();
		}
		assertThat(get("/grpclb").path("locks")).isEmpty();
	}

	@Test
	@Order(2)
	void weightChangedThroughTheEndpointShouldReachEtcdAndTheClient() throws Exception {
		HttpResponse<String> response = post("/grpclb", "{\"weight\": 5}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(raw.values("/grpclb/echo/")).containsEntry("/grpclb/echo/127.0.0.1:" + grpcPort, "5");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> get("/grpclb").path("targets").get(0).path("instances").get(0).path("weight").asInt() == 5);
		assertBadRequest("{\"weight\": 0}", "weight must be an integer from 1 to 100, was 0");
		assertBadRequest("{\"weight\": 500}", "weight must be an integer from 1 to 100, was 500");
		assertBadRequest("{\"weight\": \"abc\"}", "weight must be an integer from 1 to 100, was abc");
		assertBadRequest("{\"registered\": \"maybe\"}", "registered must be true or false, was maybe");
		assertBadRequest("{}", "Give {\"weight\": 1..100}, {\"registered\": true|false}, {\"metadata\": \"zone=eu-1a\"} "
				+ "or {\"yieldLeadership\": true}");
		assertThat(raw.values("/grpclb/echo/")).containsEntry("/grpclb/echo/127.0.0.1:" + grpcPort, "5");
	}

	@Test
	@Order(2)
	void metadataChangedThroughTheEndpointShouldReachEtcdBesideTheKeyAndTheClient() throws Exception {
		String metadataKey = "/grpclb-meta/echo/127.0.0.1:" + grpcPort;
		HttpResponse<String> response = post("/grpclb", "{\"metadata\": \"zone=b;tags=canary,v2\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(json.readTree(response.body()).get(0).path("metadata").path("zone").asText()).isEqualTo("b");
		assertThat(raw.values("/grpclb-meta/echo/")).containsEntry(metadataKey, "{\"tags\":\"canary,v2\",\"zone\":\"b\"}");
		assertThat(raw.get(metadataKey).getLease()).as("on the registration's lease")
			.isEqualTo(raw.get("/grpclb/echo/127.0.0.1:" + grpcPort).getLease());
		await().atMost(Duration.ofSeconds(5)).until(() -> "canary,v2".equals(
				get("/grpclb").path("targets").get(0).path("instances").get(0).path("metadata").path("tags").asText()));

		assertThat(post("/grpclb", "{\"metadata\": \"{\\\"zone\\\": \\\"c\\\"}\"}").statusCode()).as("JSON in the string")
			.isEqualTo(200);
		assertThat(raw.values("/grpclb-meta/echo/")).containsEntry(metadataKey, "{\"zone\":\"c\"}");
		assertBadRequest("{\"metadata\": \"zone\"}",
				"metadata must be \"key=value;key=value\" (e.g. \"zone=eu-1b;tags=canary,v2\") or a JSON object, was zone: "
						+ "'zone' is not key=value");
		assertThat(post("/grpclb", "{\"metadata\": \"\"}").statusCode()).isEqualTo(200);
		assertThat(raw.get(metadataKey)).as("no metadata: no sibling key").isNull();
	}

	private static void assertBadRequest(String body, String reason) throws Exception {
		HttpResponse<String> response = post("/grpclb", body);
		assertThat(response.statusCode()).as(body).isEqualTo(400);
		assertThat(json.readTree(response.body()).path("error").asText()).as(body).isEqualTo(reason);
	}

	@Test
	@Order(3)
	void deregisteringThroughTheEndpointShouldRemoveTheKeyAndTakeTheInstanceOutOfService() throws Exception {
		String key = "/grpclb/echo/127.0.0.1:" + grpcPort;
		assertThat(post("/grpclb", "{\"registered\": false}").statusCode()).isEqualTo(200);
		assertThat(raw.get(key)).isNull();
		HttpResponse<String> health = http.send(request("/health/etcd").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("OUT_OF_SERVICE");
		HttpResponse<String> registered = post("/grpclb", "{\"registered\": true}");
		assertThat(registered.statusCode()).isEqualTo(200);
		// The reply shows the state after the change: etcd answered within the endpoint's wait.
		assertThat(json.readTree(registered.body()).get(0).path("state").asText()).isEqualTo("REGISTERED");
		assertThat(raw.get(key)).isNotNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> "UP".equals(get("/health/etcd").path("status").asText()));
	}

	@Test
	@Order(4)
	void prometheusShouldCarryEveryDocumentedMeter() throws Exception {
		raw.put("/grpclb/echo/not-an-address", "7");
		EchoCalls.awaitServing(channel, 1);
		EchoCalls.call(channel, 20);
		app.getBean(EtcdLockTemplate.class).execute("metrics", Duration.ofSeconds(1), () -> null);
		// A second channel closed: its watch stream ends, which the client interceptor counts.
		ManagedChannel other = ManagedChannelBuilder.forTarget("etcd:///echo").usePlaintext().build();
		EchoCalls.call(channel, 1);
		EchoCalls.call(other, 1);
		other.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			String text = scrape();
			assertThat(value(text, "grpclb_registrations{service=\"echo\",state=\"REGISTERED\"}")).isEqualTo(1);
			assertThat(value(text, "grpclb_registrations{service=\"echo\",state=\"RECONNECTING\"}")).isZero();
			assertThat(value(text, "grpclb_registration_reregistrations_total")).isZero();
			assertThat(value(text, "grpclb_resolver_updates_total")).isGreaterThanOrEqualTo(1);
			assertThat(value(text, "grpclb_resolver_instances{service=\"echo\"}")).isEqualTo(1);
			assertThat(value(text, "grpclb_resolver_malformed_entries_total")).isGreaterThanOrEqualTo(1);
			assertThat(value(text, "grpclb_resolver_errors_total")).isZero();
			// Counted since the address came back (test 3): at least awaitServing's 20 calls, 20 and 1.
			assertThat(value(text, "grpclb_balancer_picks_total{address=\"127.0.0.1:" + grpcPort + "\",service=\"echo\"}"))
				.isGreaterThanOrEqualTo(41);
			assertThat(value(text, "grpclb_balancer_ejections_total{address=\"127.0.0.1:" + grpcPort + "\",service=\"echo\"}"))
				.isZero();
			// Healthy: etcd's weight as it is (5 since test 2).
			assertThat(value(text, "grpclb_balancer_effective_weight{address=\"127.0.0.1:" + grpcPort + "\",service=\"echo\"}"))
				.isEqualTo(5);
			assertThat(value(text, "grpclb_lock_acquire_seconds_count{outcome=\"acquired\"}")).isGreaterThanOrEqualTo(2);
			assertThat(value(text, "grpclb_lock_held")).isZero();
			assertThat(value(text, "grpclb_lock_leases_lost_total")).isZero();
			assertThat(value(text, "etcd_client_requests_seconds_count{method=\"etcdserverpb.KV/Txn\",status=\"OK\"}"))
				.isGreaterThanOrEqualTo(1);
			assertThat(value(text, "etcd_client_streams_total{method=\"etcdserverpb.Watch/Watch\",status=\"CANCELLED\"}"))
				.isGreaterThanOrEqualTo(1);
		});
		raw.delete("/grpclb/echo/not-an-address");
	}

	@Test
	@Order(4)
	void grafanaDashboardShouldQueryOnlyMetersTheApplicationExports() throws Exception {
		JsonNode dashboard = json.readTree(Files.readString(Path.of("../dashboards/etcd-grpclb.json")));
		Pattern meter = Pattern.compile("\\b(grpclb|etcd)_[a-z_]+");
		Set<String> queried = new TreeSet<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				meter.matcher(target.path("expr").asText()).results().forEach((found) -> queried.add(found.group()));
			}
		}
		assertThat(queried).as("the dashboard's metrics").hasSizeGreaterThanOrEqualTo(15);
		String text = scrape();
		assertThat(queried).allSatisfy((metric) -> assertThat(text).as(metric).containsPattern("(?m)^" + metric + "[{ ]"));
	}

	@Test
	@Order(5)
	void etcdOutageShouldShowInTheEtcdComponentWithoutFailingTheApplicationsHealth() throws Exception {
		JsonNode up = get("/health/etcd");
		assertThat(up.path("status").asText()).isEqualTo("UP");
		assertThat(up.path("details").path("clusterId").asText()).isNotEmpty();
		assertThat(up.path("details").path("members").asInt()).isEqualTo(1);
		assertThat(up.path("details").path("leader").asText()).isNotEmpty();
		assertThat(up.path("details").path("revision").asLong()).isPositive();
		etcd.etcd().member(0).stop();
		try {
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				HttpResponse<String> away = http.send(request("/health/etcd").build(), HttpResponse.BodyHandlers.ofString());
				assertThat(away.statusCode()).isEqualTo(200);
				JsonNode component = json.readTree(away.body());
				assertThat(component.path("status").asText()).isEqualTo("UNKNOWN");
				assertThat(component.path("details").path("error").asText()).isEqualTo("etcd did not answer within 2000 ms");
				assertThat(component.path("details").path("endpoints").asText()).isEqualTo(etcd.endpoints());
			});
			// Past the TTL the registration is RECONNECTING: the server still serves, so it stays ready.
			await().atMost(Duration.ofSeconds(10)).until(() -> get("/health/etcd").path("details").path("registrations")
				.toString().contains("RECONNECTING"));
			HttpResponse<String> application = http.send(request("/health").build(), HttpResponse.BodyHandlers.ofString());
			assertThat(application.statusCode()).isEqualTo(200);
			assertThat(json.readTree(application.body()).path("status").asText()).isEqualTo("UP");
		}
		finally {
			etcd.etcd().member(0).start();
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> "UP".equals(get("/health/etcd").path("status").asText()));
	}

	private static long picks() throws Exception {
		JsonNode instances = get("/grpclb").path("targets").get(0).path("instances");
		return instances.isEmpty() ? 0 : instances.get(0).path("picks").asLong();
	}

	private static JsonNode get(String path) throws Exception {
		HttpResponse<String> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
		return json.readTree(response.body());
	}

	private static HttpResponse<String> post(String path, String body) throws Exception {
		return http.send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String scrape() throws Exception {
		return http.send(request("/prometheus").build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	private static HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
	}

	/** The value of one sample line of the Prometheus text format, or -1 when it is missing. */
	private static double value(String text, String sample) {
		return text.lines()
			.filter((line) -> line.startsWith(sample + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
			.findFirst()
			.orElse(-1);
	}

}
