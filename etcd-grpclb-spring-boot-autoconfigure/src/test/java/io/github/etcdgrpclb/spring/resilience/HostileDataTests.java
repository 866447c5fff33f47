package io.github.etcdgrpclb.spring.resilience;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario 6: 1,000 hostile entries under a service's prefix, half of them not an address at all
 * (binary, no port, bad ports, IPv6 without brackets, a slash, nothing), half valid addresses
 * nobody listens on with hostile values (negative, huge, binary, 64 KB, empty).
 */
class HostileDataTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final String PREFIX = "/grpclb/hostile/";

	@Test
	void hostileEntriesShouldBeSkippedOrToleratedEachBadOneCountedOnceAndTheRealServerStillUsed() throws Exception {
		try (ConfigurableApplicationContext app = EchoServerApplication.start(etcd.endpoints(),
				"spring.application.name=hostile", "echo.name=real", "logging.level.root=ERROR");
				RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			DiscoveryStats stats = app.getBean(DiscoveryStats.class);
			List<String> bad = badAddresses(500);
			List<String> tolerated = unreachableAddresses(500);
			for (String address : bad) {
				raw.client().getKVClient().put(key(address), bytes("1")).get(5, TimeUnit.SECONDS);
			}
			for (int i = 0; i < tolerated.size(); i++) {
				raw.put(PREFIX + tolerated.get(i), hostileValue(i));
			}
			// Resolved by the application's provider, whose counters are the application's.
			ManagedChannel channel = ManagedChannelBuilder.forTarget("etcd:///hostile").usePlaintext().build();
			try {
				EchoCalls.awaitServing(channel, 1);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instances(app)).isEqualTo(501));
				assertThat(stats.malformedEntries()).isEqualTo(500);
				assertThat(EchoCalls.call(channel, 300)).containsOnlyKeys("real");

				// The same bad key written again is not counted again.
				long updates = stats.updates();
				raw.client().getKVClient().put(key(bad.get(0)), bytes("2")).get(5, TimeUnit.SECONDS);
				raw.put(PREFIX + tolerated.get(0), "3");
				await().atMost(Duration.ofSeconds(5)).until(() -> stats.updates() > updates);
				assertThat(stats.malformedEntries()).isEqualTo(500);

				// Cleaned up in two prefix deletes (450 and 50 keys, one revision each): the resolver and
				// the balancer let go of every address.
				raw.client().getKVClient().delete(bytes(PREFIX + "127"),
						io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
				raw.client().getKVClient().delete(bytes(PREFIX + "["),
						io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS);
				String real = "127.0.0.1:" + app.getBean(EchoServerApplication.ServerPort.class).get();
				raw.put(PREFIX + real, "1");
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instances(app)).isEqualTo(1));
				await().atMost(Duration.ofSeconds(10)).until(() -> WeightBalancers.snapshots()
					.stream()
					.filter((balancer) -> balancer.target().equals("hostile"))
					.allMatch((balancer) -> balancer.backends().size() == 1));
				assertThat(EchoCalls.call(channel, 50)).containsOnlyKeys("real");
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
	}

	private static int instances(ConfigurableApplicationContext app) {
		return app.getBeanProvider(EtcdNameResolverProvider.class)
			.orderedStream()
			.flatMap((provider) -> provider.targets().stream())
			.filter((target) -> target.serviceName().equals("hostile"))
			.mapToInt((target) -> target.instances().size())
			.max()
			.orElse(0);
	}

	private static ByteSequence key(String address) {
		byte[] prefix = PREFIX.getBytes(StandardCharsets.UTF_8);
		byte[] rest = address.getBytes(StandardCharsets.ISO_8859_1);
		byte[] key = new byte[prefix.length + rest.length];
		System.arraycopy(prefix, 0, key, 0, prefix.length);
		System.arraycopy(rest, 0, key, prefix.length, rest.length);
		return ByteSequence.from(key);
	}

	/** Keys that are no address: each kind in turn, all different. */
	private static List<String> badAddresses(int count) {
		List<String> bad = new ArrayList<>();
		bad.add(""); // the prefix itself
		for (int i = 1; bad.size() < count; i++) {
			switch (i % 8) {
				case 0 -> bad.add("bad-" + i);
				case 1 -> bad.add("10.0." + (i / 250) + "." + (i % 250) + ":99999");
				case 2 -> bad.add("::1:" + (9000 + i));
				case 3 -> bad.add("host" + i + ":0");
				case 4 -> bad.add("x/" + i + ":80");
				case 5 -> bad.add("\u00ff\u00fe\u0000" + i + ":80"); // bytes that are not UTF-8
				case 6 -> bad.add("10.0.0." + (300 + i) + ":80");
				default -> bad.add("h" + i + ":port");
			}
		}
		return bad;
	}

	/** Valid addresses on distinct ports found free: nothing answers there. */
	private static List<String> unreachableAddresses(int count) throws IOException {
		List<String> addresses = new ArrayList<>();
		List<ServerSocket> held = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0); // held until all are chosen: no port twice
				held.add(socket);
				addresses.add(((i % 10 == 0) ? "[::1]:" : "127.0.0.1:") + socket.getLocalPort());
			}
		}
		finally {
			for (ServerSocket socket : held) {
				socket.close();
			}
		}
		return addresses;
	}

	private static String hostileValue(int i) {
		return switch (i % 6) {
			case 0 -> "-5";
			case 1 -> "99999999999999999999999";
			case 2 -> "\u0000\u0001\u00ff";
			case 3 -> "x".repeat(64 * 1024);
			case 4 -> "";
			default -> "{\"weight\": -3}";
		};
	}

}
