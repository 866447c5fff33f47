package io.github.etcdgrpclb.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Scenario 8 of the resilience suite, a soak: calls from 2 threads to 2 steady servers for
 * {@code args[0]} seconds (default 600) while a third server registers and deregisters every second
 * (a new port each time, so the client's address list churns too). Every 30 s it prints the heap
 * after a GC, the live threads, etcd's lease count, calls/s and failures; the first and last
 * samples should match. Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.Soak}
 */
public final class Soak {

	private Soak() {
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
			Deque<PlainEchoServer> churn = new ArrayDeque<>();
			try (CallLoad load = new CallLoad(channel, 2)) {
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
					if (churn.size() > 1) {
						churn.removeFirst().close();
					}
					cycles++;
					Thread.sleep(1000);
				}
			}
			finally {
				churn.forEach(PlainEchoServer::close);
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
				a.close();
				b.close();
			}
		}
	}

}
