package io.github.etcdgrpclb.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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

	/** Asserts that the counts fit the weights (chi-square, p > 0.001) and no other server answered. */
	public static void assertFits(Map<String, Long> counts, Map<String, Integer> weights) {
		List<String> names = new ArrayList<>(weights.keySet());
		long[] observed = names.stream().mapToLong((name) -> counts.getOrDefault(name, 0L)).toArray();
		int[] expected = names.stream().mapToInt(weights::get).toArray();
		assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(names);
		assertThat(ChiSquare.fits(observed, expected)).as("counts %s for weights %s (chi2 %.2f)", counts, weights,
				ChiSquare.statistic(observed, expected)).isTrue();
	}

}
