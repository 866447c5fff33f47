package io.github.etcdgrpclb.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCalls;

/**
 * Unary calls per second through {@code weight} (health-aware, its default: a stream tracer on every
 * call), {@code weight} with health off (the tutorial's static weights) and grpc-java's
 * {@code round_robin}, over the same 3 loopback servers (weights 1, 2, 5), 64 calls in flight,
 * alternating the policies over 3 rounds (median reported).
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.CallThroughput}
 */
public final class CallThroughput {

	private static final int IN_FLIGHT = 64;

	private CallThroughput() {
	}

	public static void main(String[] args) throws Exception {
		Duration measure = Duration.ofSeconds((args.length > 0) ? Long.parseLong(args[0]) : 10);
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			List<PlainEchoServer> servers = new ArrayList<>();
			int[] weights = { 1, 2, 5 };
			for (int i = 0; i < weights.length; i++) {
				servers.add(new PlainEchoServer(raw.client(), "/grpclb", "tput", "s" + i, weights[i], Duration.ofSeconds(10)));
			}
			while (raw.list("/grpclb/tput/").size() < weights.length) {
				Thread.sleep(10);
			}
			String target = "etcd://" + etcd.member(0).clientEndpoint().getAuthority() + "/tput";
			ManagedChannel weighted = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
			ManagedChannel staticWeights = ManagedChannelBuilder.forTarget(target)
				.usePlaintext()
				.defaultServiceConfig(java.util.Map.of("loadBalancingConfig", List.of(java.util.Map.of("weight",
						java.util.Map.of("health", java.util.Map.of("enabled", false))))))
				.disableServiceConfigLookUp()
				.build();
			ManagedChannel roundRobin = ManagedChannelBuilder.forTarget(target)
				.usePlaintext()
				.disableServiceConfigLookUp()
				.defaultLoadBalancingPolicy("round_robin")
				.build();
			run(weighted, Duration.ofSeconds(5), "warm-up weight");
			run(staticWeights, Duration.ofSeconds(5), "warm-up static weight");
			run(roundRobin, Duration.ofSeconds(5), "warm-up round_robin");
			int rounds = 3;
			double[] weightRates = new double[rounds];
			double[] staticRates = new double[rounds];
			double[] roundRobinRates = new double[rounds];
			for (int round = 0; round < rounds; round++) {
				weightRates[round] = run(weighted, measure, "weight round " + round);
				staticRates[round] = run(staticWeights, measure, "static weight round " + round);
				roundRobinRates[round] = run(roundRobin, measure, "round_robin round " + round);
			}
			double weight = median(weightRates);
			double fixed = median(staticRates);
			double rr = median(roundRobinRates);
			System.out.printf("weight (health-aware): median %.0f calls/s (rounds %s)%n", weight,
					java.util.Arrays.toString(weightRates));
			System.out.printf("weight (static):       median %.0f calls/s (rounds %s)%n", fixed,
					java.util.Arrays.toString(staticRates));
			System.out.printf("round_robin:           median %.0f calls/s (rounds %s)%n", rr,
					java.util.Arrays.toString(roundRobinRates));
			System.out.printf("health-aware / static = %.3f, health-aware / round_robin = %.3f%n", weight / fixed,
					weight / rr);
			weighted.shutdownNow();
			staticWeights.shutdownNow();
			roundRobin.shutdownNow();
			servers.forEach(PlainEchoServer::close);
		}
	}

	private static double median(double[] rates) {
		return java.util.Arrays.stream(rates).sorted().toArray()[rates.length / 2];
	}

	private static double run(ManagedChannel channel, Duration duration, String phase) throws InterruptedException {
		Semaphore inFlight = new Semaphore(IN_FLIGHT);
		LongAdder completed = new LongAdder();
		LongAdder failed = new LongAdder();
		long end = System.nanoTime() + duration.toNanos();
		long start = System.nanoTime();
		while (System.nanoTime() < end) {
			inFlight.acquire();
			Futures.addCallback(ClientCalls.futureUnaryCall(channel.newCall(EchoService.ECHO, CallOptions.DEFAULT), "x"),
					new FutureCallback<String>() {

						@Override
						public void onSuccess(String result) {
							completed.increment();
							inFlight.release();
						}

						@Override
						public void onFailure(Throwable t) {
							failed.increment();
							inFlight.release();
						}

					}, MoreExecutors.directExecutor());
		}
		inFlight.acquire(IN_FLIGHT);
		double seconds = (System.nanoTime() - start) / 1e9;
		if (failed.sum() > 0) {
			System.out.println(phase + ": failed calls: " + failed.sum());
		}
		return completed.sum() / seconds;
	}

}
