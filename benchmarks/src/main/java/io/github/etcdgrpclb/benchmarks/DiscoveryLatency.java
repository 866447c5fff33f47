package io.github.etcdgrpclb.benchmarks;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/**
 * Discovery against a real etcd on loopback:
 * <ol>
 * <li>propagation: put or delete of an instance key -> the channel's address list updated, over 1,000
 * changes, next to the raw jetcd watch latency (put -> watch event) measured in the same run;</li>
 * <li>10,000 instances under one service: time to the channel's first address list, and heap
 * retained by the resolver.</li>
 * </ol>
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.DiscoveryLatency}
 */
public final class DiscoveryLatency {

	private DiscoveryLatency() {
	}

	public static void main(String[] args) throws Exception {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		AtomicReference<Set<String>> latest = new AtomicReference<>(Set.of());
		AtomicLong latestAt = new AtomicLong();
		AddressProbe.install((addresses) -> {
			latestAt.set(System.nanoTime());
			latest.set(addresses);
		});
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			String authority = etcd.member(0).clientEndpoint().getAuthority();
			raw.put("/grpclb/prop/127.0.0.1:1", "1");
			AtomicLong watchSeenAt = new AtomicLong();
			try (Watch.Watcher watcher = raw.client().getWatchClient().watch(bytes("/grpclb/prop/"),
					WatchOption.builder().isPrefix(true).build(), (response) -> watchSeenAt.set(System.nanoTime()))) {
				ManagedChannel channel = probeChannel("etcd://" + authority + "/prop");
				waitFor(() -> latest.get().contains("1"));
				double[] channelMs = new double[changes];
				double[] watchMs = new double[changes];
				for (int i = 0; i < changes; i++) {
					boolean add = (i % 2 == 0);
					long before = System.nanoTime();
					watchSeenAt.set(0);
					if (add) {
						raw.put("/grpclb/prop/127.0.0.1:2", "1");
					}
					else {
						raw.delete("/grpclb/prop/127.0.0.1:2");
					}
					waitFor(() -> latest.get().contains("2") == add && watchSeenAt.get() != 0);
					channelMs[i] = (latestAt.get() - before) / 1e6;
					watchMs[i] = (watchSeenAt.get() - before) / 1e6;
				}
				channel.shutdownNow();
				System.out.println("put/delete -> raw jetcd watch event:      " + new Percentiles(watchMs).summary());
				System.out.println("put/delete -> channel address list:       " + new Percentiles(channelMs).summary());
			}
			tenThousandInstances(raw, authority, latest);
		}
	}

	private static void tenThousandInstances(RawEtcd raw, String authority, AtomicReference<Set<String>> latest)
			throws Exception {
		int instances = 10_000;
		List<CompletableFuture<?>> puts = new ArrayList<>();
		for (int i = 0; i < instances; i++) {
			puts.add(raw.client().getKVClient().put(bytes("/grpclb/big/10." + (i / 65536) + "." + ((i / 256) % 256)
					+ "." + (i % 256) + ":" + (1000 + i % 50000)), bytes(Integer.toString(1 + i % 5))));
			if (puts.size() == 500) {
				CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
				puts.clear();
			}
		}
		CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		long heapBefore = usedHeapAfterGc();
		long start = System.nanoTime();
		ManagedChannel channel = probeChannel("etcd://" + authority + "/big");
		waitFor(() -> latest.get().size() == instances);
		double resolveMs = (System.nanoTime() - start) / 1e6;
		long heapAfter = usedHeapAfterGc();
		System.out.printf("10,000 instances: first address list after %.0f ms; heap retained %.1f MB%n", resolveMs,
				(heapAfter - heapBefore) / 1e6);
		channel.shutdownNow();
	}

	private static ManagedChannel probeChannel(String target) {
		ManagedChannel channel = ManagedChannelBuilder.forTarget(target)
			.usePlaintext()
			.disableServiceConfigLookUp()
			.defaultLoadBalancingPolicy(AddressProbe.POLICY)
			.build();
		channel.getState(true);
		return channel;
	}

	private static long usedHeapAfterGc() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private static void waitFor(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Condition not met within 30 s");
			}
			Thread.onSpinWait();
		}
	}

}
