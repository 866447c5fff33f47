package io.github.etcdgrpclb.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.ClientCalls;

/**
 * Scenario 8 of the resilience suite, a soak: calls from 2 threads to 2 steady servers for
 * {@code args[0]} seconds (default 600) while a third server registers and deregisters every second
 * (a new port each time, so the client's address list churns too). Churning servers stop the way
 * the starter stops them: deregister, serve on for a 1 s drain delay, then shut down. Every 30 s it
 * prints the heap after a GC, the live threads, etcd's lease count, calls/s and the failed calls
 * so far; the first and last samples should match, and no call should fail. Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.Soak}
 */
public final class Soak {

	private Soak() {
	}

	/** Calls until every named server has answered, so the load starts on a resolved channel. */
	private static void awaitServing(ManagedChannel channel, Set<String> servers) {
		CallOptions waitForReady = CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS);
		Set<String> answered = new HashSet<>();
		for (int i = 0; i < 1000 && !answered.containsAll(servers); i++) {
			answered.add(ClientCalls.blockingUnaryCall(channel, EchoService.ECHO, waitForReady, "x").split(":")[0]);
		}
		if (!answered.containsAll(servers)) {
			throw new IllegalStateException("Only " + answered + " answered; expected " + servers);
		}
	}

	public static void main(String[] args) throws Exception {
		Duration duration = Duration.ofSeconds((args.length > 0) ? Long.parseLong(args[0]) : 600);
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			PlainEchoServer a = new PlainEchoServer(raw.client(), "/grpclb", "soak", "a", 1, Duration.ofSeconds(2));
			PlainEchoServer b = new PlainEchoServer(raw.client(), "/grpclb", "soak", "b", 2, Duration.ofSeconds(2));
			ManagedChannel channel = ManagedChannelBuilder
				.forTarget("etcd://" + etcd.member(0).clientEndpoint().getAuthority() + "/soak")
				.usePlaintext()
				.build();
			awaitServing(channel, Set.of("a", "b"));
			Deque<PlainEchoServer> churn = new ArrayDeque<>();
			PlainEchoServer draining = null;
			CallLoad load = new CallLoad(channel, 2);
			try {
				long start = System.nanoTime();
				long nextSample = start;
				long lastCalls = 0;
				int cycles = 0;
				System.out.println("  second   heap MB  threads  leases  calls/s  failed  churn cycles");
				while (System.nanoTime() - start < duration.toNanos()) {
					if (System.nanoTime() >= nextSample) {
						System.gc();
						long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
						long calls = load.succeeded();
						System.out.printf("  %6d  %8d  %7d  %6d  %7d  %6d  %12d%n",
								TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), heap, Thread.activeCount(),
								etcd.leases().size(), (calls - lastCalls) / 30, load.failed(), cycles);
						lastCalls = calls;
						nextSample += TimeUnit.SECONDS.toNanos(30);
					}
					churn.addLast(new PlainEchoServer(raw.client(), "/grpclb", "soak", "churn", 1, Duration.ofSeconds(2)));
					if (draining != null) {
						draining.close(); // deregistered a second ago: its drain delay is over
					}
					if (churn.size() > 1) {
						draining = churn.removeFirst();
						draining.deregister();
					}
					cycles++;
					Thread.sleep(1000);
				}
			}
			finally {
				load.close();
				System.out.println("failed calls by status: " + load.failuresByCode());
				if (draining != null) {
					draining.close();
				}
				churn.forEach(PlainEchoServer::close);
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				a.close();
				b.close();
			}
		}
	}

}
