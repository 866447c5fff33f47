package io.github.etcdgrpclb.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.support.Sickness;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;

/**
 * The scenarios, side by side in one run: three loopback servers of weight 1 registered in
 * etcd as the Go tutorial's are, one of them made sick for a while by a server interceptor (40 ms
 * slower; failing every second call with UNAVAILABLE; or not at all), and the same open-loop load
 * (400 calls/s, fired on a fixed schedule whatever the answers take, so slowness cannot hide as
 * fewer calls) through one channel per policy: the Go tutorial's static weighted random
 * ({@code weight} with health off), the new default, and grpc-java's {@code round_robin}. Per policy:
 * the sick server's share while sick (from 5 s after the onset), failed calls over its first 10 s,
 * p50/p99, the seconds until its share first fell to 10% (slow) or 5% (failing), and the seconds after
 * it healed until every 1 s window holds etcd's split within 2 points again, with the calls that
 * failed after it healed.
 * Run: {@code mvn -q install -DskipTests && mvn -q -pl benchmarks exec:java
 * -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.HealthAwareBalancing} (about 5 minutes;
 * {@code -Dexec.args="<healthy s> <sick s> <recovery s>"} changes the phases, default 5 20 15).
 */
public final class HealthAwareBalancing {

	private static final int CALLS_PER_SECOND = 400;

	private static final String SICK = "c";

	private HealthAwareBalancing() {
	}

	public static void main(String[] args) throws Exception {
		Duration healthy = Duration.ofSeconds((args.length > 0) ? Long.parseLong(args[0]) : 5);
		Duration sick = Duration.ofSeconds((args.length > 1) ? Long.parseLong(args[1]) : 20);
		Duration recovery = Duration.ofSeconds((args.length > 2) ? Long.parseLong(args[2]) : 15);
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			List<PlainEchoServer> servers = new ArrayList<>();
			for (String name : List.of("a", "b", SICK)) {
				servers.add(new PlainEchoServer(raw.client(), "/grpclb", "health", name, 1, Duration.ofSeconds(10)));
			}
			while (raw.list("/grpclb/health/").size() < servers.size()) {
				Thread.sleep(10);
			}
			Sickness sickness = servers.get(2).sickness();
			String target = "etcd://" + etcd.member(0).clientEndpoint().getAuthority() + "/health";
			Map<String, Consumer<Sickness>> scenarios = new LinkedHashMap<>();
			scenarios.put("40 ms slower", (s) -> s.slow(Duration.ofMillis(40)));
			scenarios.put("failing half of its calls", (s) -> s.failEvery(2));
			scenarios.put("all healthy", (s) -> { });
			for (Map.Entry<String, Consumer<Sickness>> scenario : scenarios.entrySet()) {
				System.out.printf("%n### Server c %s (%d s healthy, %d s sick, %d s after)%n%n", scenario.getKey(),
						healthy.toSeconds(), sick.toSeconds(), recovery.toSeconds());
				System.out.println("| policy | c's share while sick | failed, first 10 s | p50 / p99 while sick "
						+ "| s to react | s back to etcd's split | c's share from 10 s after healing | failed after healing |");
				System.out.println("|---|---|---|---|---|---|---|---|");
				for (Map.Entry<String, ManagedChannelBuilder<?>> policy : policies(target).entrySet()) {
					ManagedChannel channel = policy.getValue().build();
					try {
						Run run = run(channel, sickness, scenario.getValue(), healthy, sick, recovery);
						System.out.println("| " + policy.getKey() + " | " + run.report(healthy, sick) + " |");
					}
					finally {
						channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
						sickness.heal();
					}
				}
			}
			servers.forEach(PlainEchoServer::close);
		}
	}

	private static Map<String, ManagedChannelBuilder<?>> policies(String target) {
		Map<String, ManagedChannelBuilder<?>> policies = new LinkedHashMap<>();
		policies.put("static weight (the tutorial)", ManagedChannelBuilder.forTarget(target)
			.usePlaintext()
			.defaultServiceConfig(Map.of("loadBalancingConfig",
					List.of(Map.of("weight", Map.of("health", Map.of("enabled", false))))))
			.disableServiceConfigLookUp());
		policies.put("weight, health-aware (default)", ManagedChannelBuilder.forTarget(target).usePlaintext());
		policies.put("round_robin", ManagedChannelBuilder.forTarget(target)
			.usePlaintext()
			.defaultLoadBalancingPolicy("round_robin")
			.disableServiceConfigLookUp());
		return policies;
	}

	private static Run run(ManagedChannel channel, Sickness sickness, Consumer<Sickness> makeSick, Duration healthy,
			Duration sick, Duration recovery) throws InterruptedException {
		// Warm the channel up (connections, JIT) before the clock starts.
		for (int i = 0; i < 300; i++) {
			ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, CallOptions.DEFAULT, "warm");
		}
		Run run = new Run(System.nanoTime());
		ScheduledExecutorService firing = Executors.newSingleThreadScheduledExecutor();
		ScheduledFuture<?> load = firing.scheduleAtFixedRate(() -> call(channel, run), 0,
				1_000_000_000L / CALLS_PER_SECOND, TimeUnit.NANOSECONDS);
		Thread.sleep(healthy.toMillis());
		makeSick.accept(sickness);
		Thread.sleep(sick.toMillis());
		sickness.heal();
		Thread.sleep(recovery.toMillis());
		load.cancel(false);
		firing.shutdown();
		firing.awaitTermination(5, TimeUnit.SECONDS);
		Thread.sleep(1000); // the last answers
		return run;
	}

	private static void call(ManagedChannel channel, Run run) {
		long start = System.nanoTime();
		Futures.addCallback(ClientCalls.futureUnaryCall(
				channel.newCall(EchoService.ECHO, CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)), "x"),
				new FutureCallback<String>() {

					@Override
					public void onSuccess(String answer) {
						run.add(new Call(start, System.nanoTime() - start, answer.split(":")[0], Status.Code.OK));
					}

					@Override
					public void onFailure(Throwable error) {
						run.add(new Call(start, System.nanoTime() - start, null, Status.fromThrowable(error).getCode()));
					}

				}, MoreExecutors.directExecutor());
	}

	/** One call: when it started, how long it took, who answered (null: it failed), its status. */
	record Call(long startNanos, long nanos, String server, Status.Code code) {
	}

	/** The calls of one policy in one scenario, and the figures read from them. */
	static final class Run {

		private final long origin;

		private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

		Run(long origin) {
			this.origin = origin;
		}

		void add(Call call) {
			this.calls.add(call);
		}

		/** @return the calls started in [from, to) seconds after the origin */
		List<Call> between(double from, double to) {
			return this.calls.stream().filter((call) -> {
				double at = (call.startNanos() - this.origin) / 1e9;
				return at >= from && at < to;
			}).toList();
		}

		String report(Duration healthy, Duration sick) {
			double onset = healthy.toSeconds();
			double healed = onset + sick.toSeconds();
			List<Call> sickCalls = between(onset + 5, healed);
			List<Call> firstTen = between(onset, onset + 10);
			List<Call> allSick = between(onset, healed);
			long[] latencies = allSick.stream().mapToLong(Call::nanos).sorted().toArray();
			double react = firstWindow(onset, healed, (window) -> share(window) <= (failing(allSick) ? 0.05 : 0.10));
			double back = backToSplit(healed);
			long failedAfter = between(healed, Double.MAX_VALUE).stream().filter((call) -> call.server() == null).count();
			double settled = share(between(healed + 10, Double.MAX_VALUE));
			return String.format(Locale.ROOT, "%.1f%% | %.2f%% | %.1f / %.1f ms | %s | %s | %.1f%% | %d",
					100 * share(sickCalls), 100 * failed(firstTen), percentile(latencies, 0.50) / 1e6,
					percentile(latencies, 0.99) / 1e6, Double.isNaN(react) ? "never" : String.format(Locale.ROOT, "%.0f", react),
					Double.isNaN(back) ? "never" : String.format(Locale.ROOT, "%.0f", back), 100 * settled, failedAfter);
		}

		/** @return seconds from {@code from} to the end of the first 1 s window that passes, NaN if none */
		private double firstWindow(double from, double to, java.util.function.Predicate<List<Call>> passes) {
			for (double at = from; at + 1 <= to; at++) {
				if (passes.test(between(at, at + 1))) {
					return at + 1 - from;
				}
			}
			return Double.NaN;
		}

		/** @return seconds after healing until every later 1 s window holds etcd's split (1/3 each) within 2 points */
		private double backToSplit(double healed) {
			double end = (this.calls.stream().mapToLong(Call::startNanos).max().orElse(this.origin) - this.origin) / 1e9;
			for (double at = healed; at + 1 <= end; at++) {
				boolean holds = true;
				for (double later = at; later + 1 <= end && holds; later++) {
					holds = Math.abs(share(between(later, later + 1)) - 1.0 / 3) <= 0.02 + binomialNoise(between(later, later + 1));
				}
				if (holds) {
					return at - healed;
				}
			}
			return Double.NaN;
		}

		/**
		 * A 1 s window holds ~400 calls: its share of a fair third wobbles by 2.4 points (one deviation)
		 * on its own; two deviations are allowed on top of the 2 points, so that chance does not read as
		 * a policy's fault.
		 */
		private static double binomialNoise(List<Call> window) {
			return 2 * Math.sqrt((1.0 / 3) * (2.0 / 3) / Math.max(1, window.size()));
		}

		private static boolean failing(List<Call> calls) {
			return calls.stream().anyMatch((call) -> call.code() == Status.Code.UNAVAILABLE);
		}

		private static double share(List<Call> calls) {
			long answered = calls.stream().filter((call) -> call.server() != null).count();
			long bySick = calls.stream().filter((call) -> SICK.equals(call.server())).count();
			// A failed call of the failing server counts as sent to it.
			long failedBySick = calls.stream().filter((call) -> call.code() == Status.Code.UNAVAILABLE).count();
			return (answered + failedBySick == 0) ? 0 : (double) (bySick + failedBySick) / (answered + failedBySick);
		}

		private static double failed(List<Call> calls) {
			return calls.isEmpty() ? 0 : (double) calls.stream().filter((call) -> call.server() == null).count() / calls.size();
		}

		private static double percentile(long[] sorted, double p) {
			return (sorted.length == 0) ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
		}

	}

}
