package io.github.etcdgrpclb.balancer;

import static io.github.etcdgrpclb.support.EchoCalls.assertFits;
import static io.github.etcdgrpclb.support.EchoCalls.awaitServing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.EchoServerProcess;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing by server metadata with real servers on loopback registered in a real etcd, called through
 * plain grpc-java channels on {@code etcd://}: zone affinity and its failover when a zone's last
 * server stops (SIGTERM) or dies (kill -9), tagged calls, live metadata changes, servers without
 * metadata (the Go tutorial's) counting as every zone's, and the key layout the Go tutorial's client
 * reads.
 */
class MetadataRoutingIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void callsShouldStayInTheCallersZoneWithServersThatNameNone() throws Exception {
		server("zones", "a1", Map.of("zone", "a"));
		server("zones", "b1", Map.of("zone", "b"));
		server("zones", "none", Map.of());
		ManagedChannel channel = channel("zones", Map.of("zone", "a"));
		awaitServing(channel, 2);
		EchoCalls.awaitEtcdWeights(channel);
		Map<String, Long> counts = EchoCalls.call(channel, 2000);
		assertThat(counts).as("zone b never, the server without a zone as zone a's").containsOnlyKeys("a1", "none");
		assertFits(counts, Map.of("a1", 1, "none", 1));
	}

	@Test
	void zonesLastServerStoppedShouldSpillOverWithoutAFailedCall() throws Exception {
		EchoServerProcess local = process("spill", "a1", "{\"zone\":\"a\"}");
		server("spill", "b1", Map.of("zone", "b"));
		ManagedChannel channel = channel("spill", Map.of("zone", "a"));
		awaitLocal(channel, "spill");
		CallLoad load = new CallLoad(channel, 4);
		try (load) {
			await().atMost(Duration.ofSeconds(5)).until(() -> load.answeredBy("a1") > 200);
			assertThat(load.answeredBy("b1")).as("zone-local while zone a has a server").isZero();

			local.process().destroy(); // SIGTERM: deregisters, drains 1 s, stops
			long before = load.answeredBy("b1");
			await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy("b1") > before + 500);
		}
		assertThat(local.process().waitFor()).as("stopped by its shutdown hook").isEqualTo(143);
		assertThat(load.failed()).as("failed calls: %s", load.failuresByCode()).isZero();
	}

	@Test
	void zonesLastServerKilledShouldSpillOverFailingAtMostTheCallsInFlight() throws Exception {
		EchoServerProcess local = process("kill", "a1", "{\"zone\":\"a\"}");
		server("kill", "b1", Map.of("zone", "b"));
		ManagedChannel channel = channel("kill", Map.of("zone", "a"));
		awaitLocal(channel, "kill");
		CallLoad load = new CallLoad(channel, 4);
		try (load) {
			await().atMost(Duration.ofSeconds(5)).until(() -> load.answeredBy("a1") > 200);
			local.close(); // kill -9: no deregistration; the connection drops
			long before = load.answeredBy("b1");
			await().atMost(Duration.ofSeconds(10)).until(() -> load.answeredBy("b1") > before + 500);
		}
		// The figure for the record: how many calls the kill cost, of how many.
		System.out.printf("kill -9 of zone a's last server: %d of %d calls failed %s%n", load.failed(),
				load.succeeded() + load.failed(), load.failuresByCode());
		assertThat(load.failed()).as("at most the 4 calls in flight, of %s", load.failuresByCode()).isLessThanOrEqualTo(4);
	}

	@Test
	void taggedCallsShouldReachOnlyTheirTagsServerWhileUntaggedCallsNeverDo() {
		server("canary", "stable1", Map.of());
		server("canary", "stable2", Map.of());
		PlainEchoServer canary = server("canary", "canary1", Map.of("tags", "canary", "version", "v2"));
		ManagedChannel channel = channel("canary", null);
		awaitServing(channel, 2);
		Channel tagged = ClientInterceptors.intercept(channel, GrpclbTags.tag("canary"));
		assertThat(EchoCalls.call(tagged, 500)).containsOnlyKeys("canary1");
		assertThat(EchoCalls.call(channel, 500)).containsOnlyKeys("stable1", "stable2");

		canary.deregister();
		await().atMost(Duration.ofSeconds(5)).until(() -> EchoCalls.call(tagged, 20).keySet().stream()
			.noneMatch("canary1"::equals));
		assertThat(EchoCalls.call(tagged, 200)).as("no canary left: the untagged servers")
			.containsOnlyKeys("stable1", "stable2");
	}

	@Test
	void tagOfTheCallServedShouldRideOnTheCallsAServerMakes() throws Exception {
		server("hop", "plain", Map.of());
		server("hop", "canary", Map.of("tags", "canary"));
		ManagedChannel channel = channel("hop", null);
		awaitServing(channel, 1);
		Channel propagating = ClientInterceptors.intercept(channel, GrpclbTags.propagating());
		assertThat(GrpclbTags.callWithTag("canary", () -> EchoCalls.call(propagating, 100))).containsOnlyKeys("canary");
		assertThat(EchoCalls.call(propagating, 100)).containsOnlyKeys("plain");
	}

	@Test
	void metadataChangedLiveShouldMoveTheCalls() {
		PlainEchoServer moving = server("move", "m1", Map.of("zone", "b"));
		server("move", "a1", Map.of("zone", "a"));
		ManagedChannel channel = channel("move", Map.of("zone", "a"));
		awaitServing(channel, 1);
		assertThat(EchoCalls.call(channel, 200)).containsOnlyKeys("a1");

		moving.registrar().updateMetadata(new InstanceMetadata(Map.of("zone", "a"))).join();
		await().atMost(Duration.ofSeconds(5)).until(() -> EchoCalls.call(channel, 50).containsKey("m1"));
		assertThat(raw.values("/grpclb-meta/move/")).containsValue("{\"zone\":\"a\"}");
	}

	@Test
	void goTutorialClientShouldReadOnlyPlainWeightsWhateverTheMetadata() {
		server("tutorial", "a", Map.of("zone", "a", "tags", "canary"), 3);
		server("tutorial", "b", Map.of(), 1);
		// What the tutorial's weighted client does: list /grpclb/<service>/, address = key - prefix,
		// weight = strconv.Atoi(value), 1 when that fails.
		Map<String, Integer> tutorialView = new HashMap<>();
		for (KeyValue kv : raw.list("/grpclb/tutorial/")) {
			String value = kv.getValue().toString(StandardCharsets.UTF_8);
			tutorialView.put(kv.getKey().toString(StandardCharsets.UTF_8).substring("/grpclb/tutorial/".length()),
					value.matches("\\d+") ? Integer.parseInt(value) : 1);
		}
		assertThat(tutorialView.values()).containsExactlyInAnyOrder(3, 1);
		assertThat(tutorialView.keySet()).allMatch((address) -> address.matches("127\\.0\\.0\\.1:\\d+"));
	}

	private PlainEchoServer server(String service, String name, Map<String, String> metadata) {
		return server(service, name, metadata, 1);
	}

	private PlainEchoServer server(String service, String name, Map<String, String> metadata, int weight) {
		PlainEchoServer server = new PlainEchoServer(raw.client(), "/grpclb", service, name, weight, Duration.ofSeconds(5),
				new InstanceMetadata(metadata));
		this.resources.add(server);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> raw.get("/grpclb/" + service + "/127.0.0.1:" + server.port()) != null);
		return server;
	}

	private EchoServerProcess process(String service, String name, String metadataJson) throws Exception {
		EchoServerProcess server = EchoServerProcess.start(etcd.endpoints(), service, name, 1, 2, metadataJson);
		this.resources.add(server);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> raw.get("/grpclb/" + service + "/127.0.0.1:" + server.port()) != null);
		return server;
	}

	/** Waits until the channel's calls stay in its zone (its zone's server is READY). */
	private static void awaitLocal(ManagedChannel channel, String service) {
		awaitServing(channel, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> WeightBalancers.snapshots()
			.stream()
			.anyMatch((snapshot) -> snapshot.target().equals(service) && snapshot.routing() != null
					&& snapshot.routing().startsWith("zone a: local")));
	}

	/** A plain grpc-java channel in the given zone (through the channel's service config), or in none. */
	private ManagedChannel channel(String service, Map<String, String> routing) {
		ManagedChannelBuilder<?> builder = ManagedChannelBuilder
			.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/" + service)
			.usePlaintext();
		if (routing != null) {
			builder.defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("weight", Map.of("routing", routing)))))
				.disableServiceConfigLookUp();
		}
		ManagedChannel channel = builder.build();
		this.resources.add(channel::shutdownNow);
		return channel;
	}

}
