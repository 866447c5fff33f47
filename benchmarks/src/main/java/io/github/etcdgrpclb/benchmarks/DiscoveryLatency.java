package io.github.etcdgrpclb.benchmarks;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdClientSource;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdResolverSettings;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;

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

	/** Wakes the measuring thread on every address list and watch event. */
	private static final Signal changed = new Signal();

	public static void main(String[] args) throws Exception {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		AtomicReference<List<EquivalentAddressGroup>> latest = new AtomicReference<>(List.of());
		AtomicLong latestAt = new AtomicLong();
		AddressProbe.install((addresses) -> {
			latestAt.set(System.nanoTime());
			latest.set(addresses);
			changed.signal();
		});
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			String authority = etcd.member(0).clientEndpoint().getAuthority();
			raw.put("/grpclb/prop/127.0.0.1:1", "1");
			AtomicLong watchSeenAt = new AtomicLong();
			try (Watch.Watcher watcher = raw.client().getWatchClient().watch(bytes("/grpclb/prop/"),
					WatchOption.builder().isPrefix(true).build(), (response) -> {
						watchSeenAt.set(System.nanoTime());
						changed.signal();
					})) {
				ManagedChannel channel = probeChannel("etcd://" + authority + "/prop");
				changed.await(() -> AddressProbe.hasPort(latest.get(), 1));
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
					changed.await(() -> AddressProbe.hasPort(latest.get(), 2) == add && watchSeenAt.get() != 0);
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

	private static void tenThousandInstances(RawEtcd raw, String authority, AtomicReference<List<EquivalentAddressGroup>> latest)
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
		long[] updatesBefore = { AddressProbe.updates.get() };
		long heapBefore = usedHeapAfterGc();
		ManagedChannel first = probeChannel("etcd://" + authority + "/big");
		awaitNewList(first, instances, latest, updatesBefore);
		long heapAfter = usedHeapAfterGc();
		first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		System.out.printf("10,000 instances: heap retained by one channel's address list %.1f MB%n",
				(heapAfter - heapBefore) / 1e6);
		// Warm: a channel on a client that is connected already (etcd:/// in a Spring application).
		NameResolverRegistry.getDefaultRegistry()
			.register(new EtcdNameResolverProvider("etcdwarm", EtcdClientSource.shared(raw.client()),
					EtcdResolverSettings.DEFAULT, EtcdNameResolverProvider.PLAIN_PRIORITY, new DiscoveryStats()));
		int rounds = Integer.getInteger("rounds", 50);
		double[] cold = new double[rounds];
		double[] rawCold = new double[rounds];
		double[] warm = new double[rounds];
		double[] rawWarm = new double[rounds];
		String endpoints = "http://" + authority;
		for (int round = 0; round < rounds; round++) {
			long start = System.nanoTime();
			ManagedChannel channel = probeChannel("etcd://" + authority + "/big");
			awaitNewList(channel, instances, latest, updatesBefore);
			cold[round] = (System.nanoTime() - start) / 1e6;
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			start = System.nanoTime();
			try (Client client = Client.builder().endpoints(endpoints).build()) {
				expectCount(client, instances);
			}
			rawCold[round] = (System.nanoTime() - start) / 1e6;
			start = System.nanoTime();
			channel = probeChannel("etcdwarm:///big");
			awaitNewList(channel, instances, latest, updatesBefore);
			warm[round] = (System.nanoTime() - start) / 1e6;
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			start = System.nanoTime();
			expectCount(raw.client(), instances);
			rawWarm[round] = (System.nanoTime() - start) / 1e6;
		}
		System.out.println("10,000 instances, new channel with its own etcd client -> first address list: "
				+ new Percentiles(cold).summary());
		System.out.println("10,000 instances, fresh jetcd client + Get of the prefix (same run):          "
				+ new Percentiles(rawCold).summary());
		System.out.println("10,000 instances, new channel on a connected client -> first address list:   "
				+ new Percentiles(warm).summary());
		System.out.println("10,000 instances, Get of the prefix on the connected client (same run):      "
				+ new Percentiles(rawWarm).summary());
		System.out.printf("ratios of medians: cold %.2f, warm %.2f%n", new Percentiles(cold).at(50) / new Percentiles(rawCold).at(50),
				new Percentiles(warm).at(50) / new Percentiles(rawWarm).at(50));
	}

	/** Waits for the channel's first address list (the probe sees every channel's lists: count them). */
	private static void awaitNewList(ManagedChannel channel, int instances, AtomicReference<List<EquivalentAddressGroup>> latest,
			long[] updatesBefore) throws InterruptedException {
		long before = updatesBefore[0];
		changed.await(() -> AddressProbe.updates.get() > before && latest.get().size() == instances);
		updatesBefore[0] = AddressProbe.updates.get();
	}

	private static void expectCount(Client client, int instances) throws Exception {
		long count = client.getKVClient()
			.get(bytes("/grpclb/big/"), GetOption.builder().isPrefix(true).build())
			.get(30, TimeUnit.SECONDS)
			.getCount();
		if (count != instances) {
			throw new IllegalStateException(count + " keys");
		}
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

}
