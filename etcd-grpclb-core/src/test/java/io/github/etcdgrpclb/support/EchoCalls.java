package io.github.etcdgrpclb.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

/** Calls to echo servers and checks of how the calls spread over them. */
public final class EchoCalls {

	private EchoCalls() {
	}

	/** @return the answer, {@code <server name>:<request>} */
	public static String call(Channel channel, String request) {
		return ClientCalls.blockingUnaryCall(channel, EchoService.ECHO,
				CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
	}

	/** @return the answer, or the status code's name when the call fails */
	public static String tryCall(Channel channel) {
		try {
			return call(channel, "x");
		}
		catch (StatusRuntimeException ex) {
			return ex.getStatus().getCode().name();
		}
	}

	/** @return server name -> calls it answered, over {@code calls} sequential calls */
	public static Map<String, Long> call(Channel channel, int calls) {
		Map<String, Long> counts = new ConcurrentHashMap<>();
		for (int i = 0; i < calls; i++) {
			counts.merge(call(channel, "x").split(":")[0], 1L, Long::sum);
		}
		return counts;
	}

	/** Waits until calls reach {@code servers} different servers. */
	public static void awaitServing(Channel channel, int servers) {
		await().atMost(Duration.ofSeconds(10)).until(() -> call(channel, 20 * servers).size() == servers);
	}

	/**
	 * Calls until the channel's weight balancer gives every server its weight in etcd. A server's first
	 * calls (class loading, JIT) can make it look slow for an interval or two, and a split measured then
	 * shows health-aware balancing at work, not etcd's weights; a test of the weights starts after it.
	 */
	public static void awaitEtcdWeights(Channel channel) {
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			call(channel, 100);
			List<WeightBalancers.Snapshot> balancers = WeightBalancers.snapshots()
				.stream()
				.filter((snapshot) -> snapshot.target().equals(channel.authority()) && !snapshot.backends().isEmpty())
				.toList();
			return !balancers.isEmpty() && balancers.stream()
				.flatMap((snapshot) -> snapshot.backends().stream())
				.allMatch((backend) -> backend.effectiveWeight() == backend.weight());
		});
	}

	/**
	 * Asserts that every server's share of the calls is its weight's share, within six standard
	 * deviations of the binomial count, and that no other server answered. Real calls cannot be
	 * seeded: six deviations make a chance failure (about 2e-9 a server) negligible, while a wrong
	 * spread (1:1 for 1:3 over 2,000 calls is over 30 deviations off) still fails. The picker's own
	 * statistics are checked exactly and with seeded draws in WeightedPickerTests.
	 */
	public static void assertFits(Map<String, Long> counts, Map<String, Integer> weights) {
		assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(weights.keySet());
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		int weightSum = weights.values().stream().mapToInt(Integer::intValue).sum();
		weights.forEach((name, weight) -> {
			double expected = (double) weight / weightSum;
			double deviation = Math.sqrt(expected * (1 - expected) / total);
			assertThat((double) counts.get(name) / total)
				.as("share of %s: counts %s for weights %s; the balancers: %s", name, counts, weights, judgements())
				.isCloseTo(expected, within(6 * deviation));
		});
	}

	/** @return what every weight balancer of the JVM thinks of its servers, for a failure's message */
	private static String judgements() {
		return WeightBalancers.snapshots()
			.stream()
			.flatMap((snapshot) -> snapshot.backends().stream())
			.map((backend) -> backend.address() + " " + backend.weight() + " -> " + backend.effectiveWeight() + " ("
					+ backend.health() + ")")
			.toList()
			.toString();
	}

}
