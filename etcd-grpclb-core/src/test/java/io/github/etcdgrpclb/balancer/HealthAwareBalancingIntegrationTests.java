package io.github.etcdgrpclb.balancer;

import static io.github.etcdgrpclb.support.EchoCalls.assertFits;
import static io.github.etcdgrpclb.support.EchoCalls.awaitServing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health-aware balancing with real servers on loopback, registered in a real etcd, called through
 * plain grpc-java channels on {@code etcd:///}: sickness is injected by a server interceptor
 * ({@code Sickness}), what the channel made of it is read from its balancer's snapshot, and how the
 * calls spread from the servers' answers. The figures the issue asks for (shares, failed calls,
 * seconds to react) are measured by the HealthAwareBalancing benchmark; these tests check the
 * behaviour with margins no machine's noise reaches.
 */
class HealthAwareBalancingIntegrationTests {

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
	void slowServerShouldLoseItsShareAndGetItBackOnceFastAgain() throws Exception {
		List<PlainEchoServer> servers = servers("slow", 3);
		ManagedChannel channel = channel("slow", null);
		try (CallLoad load = load(channel, 3)) {
			servers.get(2).sickness().slow(Duration.ofMillis(40));
			await().atMost(Duration.ofSeconds(5)).until(() -> health("slow", servers.get(2)).startsWith("slowed"));
			Map<String, Long> slowed = window(load, 1000);
			assertThat(share(slowed, "c")).as("the slow server's share, of %s", slowed).isLessThan(0.10);

			servers.get(2).sickness().heal();
			await().atMost(Duration.ofSeconds(10)).until(() -> health("slow", servers.get(2)).equals("healthy"));
			assertFits(window(load, 3000), Map.of("a", 1, "b", 1, "c", 1));
		}
	}

	@Test
	void failingServerShouldBeEjectedComeBackAfterItsEjectionTimeAndStayWhenHealed() throws Exception {
		List<PlainEchoServer> servers = servers("failing", 3);
		ManagedChannel channel = channel("failing", null);
		try (CallLoad load = load(channel, 3)) {
			servers.get(2).sickness().failEvery(2);
			await().atMost(Duration.ofSeconds(5)).until(() -> health("failing", servers.get(2)).startsWith("ejected"));
			long failedWhenEjected = load.failed();
			Map<String, Long> ejected = window(load, 1000);
			assertThat(ejected.getOrDefault("c", 0L)).as("answers of the ejected server, of %s", ejected).isLessThan(10);

			// Back after its ejection time (5 s), failing still: out again.
			await().atMost(Duration.ofSeconds(8)).until(() -> backend("failing", servers.get(2)).meters().ejections() == 2);
			assertThat(load.failed()).as("calls failed while it was back").isGreaterThan(failedWhenEjected);

			servers.get(2).sickness().heal();
			await().atMost(Duration.ofSeconds(15)).until(() -> health("failing", servers.get(2)).equals("healthy"));
			long failedWhenHealed = load.failed();
			assertFits(window(load, 3000), Map.of("a", 1, "b", 1, "c", 1));
			assertThat(load.failed()).as("calls failed after it healed").isEqualTo(failedWhenHealed);
		}
	}

	@Test
	void fleetFailingAlikeShouldKeepEveryServerAndSpreadCallsByWeight() throws Exception {
		List<PlainEchoServer> servers = servers("outage", 3);
		ManagedChannel channel = channel("outage", null);
		try (CallLoad load = load(channel, 3)) {
			servers.forEach((server) -> server.sickness().failEvery(2));
			Map<String, Long> failing = window(load, 3000);
			assertFits(failing, Map.of("a", 1, "b", 1, "c", 1));
			assertThat(servers).allSatisfy((server) -> assertThat(health("outage", server)).doesNotStartWith("ejected"));
		}
	}

	@Test
	void weightChangeInEtcdShouldApplyAtOnceWhileHealthy() throws Exception {
		List<PlainEchoServer> servers = servers("reweigh", 3);
		ManagedChannel channel = channel("reweigh", null);
		try (CallLoad load = load(channel, 3)) {
			window(load, 1000);
			servers.get(0).registrar().updateWeight(4).join();
			await().atMost(Duration.ofSeconds(5)).until(() -> backend("reweigh", servers.get(0)).weight() == 4);
			assertFits(window(load, 3000), Map.of("a", 4, "b", 1, "c", 1));
		}
	}

	@Test
	void slowStartFromTheServiceConfigShouldRampANewServerUp() throws Exception {
		servers("ramp", 2);
		Map<String, Object> health = Map.of("slowStart", Map.of("window", "6s", "minWeightPercent", 10.0));
		ManagedChannel channel = channel("ramp", health);
		try (CallLoad load = load(channel, 2)) {
			window(load, 500);
			PlainEchoServer added = server("ramp", "c");
			await().atMost(Duration.ofSeconds(5)).until(() -> health("ramp", added).startsWith("warming up"));
			Map<String, Long> early = window(load, 1000);
			await().atMost(Duration.ofSeconds(10)).until(() -> health("ramp", added).equals("healthy"));
			Map<String, Long> late = window(load, 3000);
			assertThat(share(early, "c")).as("early %s", early).isLessThan(0.15);
			assertFits(late, Map.of("a", 1, "b", 1, "c", 1));
		}
	}

	private List<PlainEchoServer> servers(String service, int count) {
		List<PlainEchoServer> servers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			servers.add(server(service, String.valueOf((char) ('a' + i))));
		}
		return servers;
	}

	private PlainEchoServer server(String service, String name) {
		PlainEchoServer server = new PlainEchoServer(raw.client(), "/grpclb", service, name, 1, Duration.ofSeconds(5));
		this.resources.add(server);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> raw.get("/grpclb/" + service + "/127.0.0.1:" + server.port()) != null);
		return server;
	}

	/**
	 * A plain grpc-java channel; with {@code health}, the policy a plain user sets through the
	 * channel's service config (the resolver's own is then not looked up).
	 */
	private ManagedChannel channel(String service, Map<String, Object> health) {
		ManagedChannelBuilder<?> builder = ManagedChannelBuilder
			.forTarget("etcd://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/" + service)
			.usePlaintext();
		if (health != null) {
			builder.defaultServiceConfig(Map.of("loadBalancingConfig", List.of(Map.of("weight", Map.of("health", health)))))
				.disableServiceConfigLookUp();
		}
		ManagedChannel channel = builder.build();
		this.resources.add(channel::shutdownNow);
		return channel;
	}

	/** Eight threads calling as fast as they can, once the channel reaches every server. */
	private static CallLoad load(ManagedChannel channel, int servers) {
		awaitServing(channel, servers);
		return new CallLoad(channel, 8);
	}

	/** @return who answered the next {@code calls} calls the load made */
	private static Map<String, Long> window(CallLoad load, long calls) {
		Map<String, Long> before = load.answered();
		long target = load.succeeded() + calls;
		await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded() >= target);
		Map<String, Long> window = new HashMap<>();
		load.answered().forEach((name, count) -> {
			long delta = count - before.getOrDefault(name, 0L);
			if (delta > 0) {
				window.put(name, delta);
			}
		});
		return window;
	}

	private static double share(Map<String, Long> counts, String name) {
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		return (double) counts.getOrDefault(name, 0L) / total;
	}

	private static String health(String service, PlainEchoServer server) {
		return backend(service, server).health();
	}

	private static WeightBalancers.Backend backend(String service, PlainEchoServer server) {
		String address = "127.0.0.1:" + server.port();
		return WeightBalancers.snapshots()
			.stream()
			.filter((snapshot) -> snapshot.target().equals(service))
			.flatMap((snapshot) -> snapshot.backends().stream())
			.filter((backend) -> backend.address().equals(address))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No balancer of " + service + " knows " + address));
	}

}
