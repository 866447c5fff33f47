package io.github.etcdgrpclb.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.github.etcdgrpclb.test.EtcdCluster;

/**
 * What a run may not leave behind once its actors stopped: leases and their keys in etcd (a killed
 * actor's go with their TTL), watches in etcd, threads and heap in the test's JVM.
 */
final class Leaks {

	private static final List<String> PREFIXES = List.of("/grpclb/nemesis/", "/grpclb-meta/nemesis/",
			"/locks/nemesis/", "/election/nemesis/");

	/**
	 * Threads of the test harness and of the JDK's and grpc's shared pools, which idle out by
	 * themselves (grpc's executor after 60 s): not the run's.
	 */
	private static final List<String> HARNESS = List.of("tcp-proxy", "process reaper", "HttpClient-", "surefire",
			"grpc-default-executor", "ForkJoinPool", "Common-Cleaner", "Attach Listener", "CompletableFutureDelayScheduler",
			"FailsafeDelayScheduler");

	/** Heap the run may leave above its baseline: the JVM's own caches (classes, JIT), not the run's objects. */
	private static final long HEAP_SLACK = 64L << 20;

	private Leaks() {
	}

	/** @return the watchers etcd's members hold (their gauge, summed), empty when no member reports it */
	static java.util.OptionalLong watchers(EtcdCluster cluster) {
		long sum = 0;
		boolean reported = false;
		for (var member : cluster.members()) {
			java.util.OptionalDouble gauge = member.metric("etcd_debugging_mvcc_watcher_total");
			if (gauge.isPresent()) {
				reported = true;
				sum += (long) gauge.getAsDouble();
			}
		}
		return reported ? java.util.OptionalLong.of(sum) : java.util.OptionalLong.empty();
	}

	/** @return a violation when etcd holds more watchers than {@code before} once {@code timeout} passed */
	static List<String> checkWatchers(EtcdCluster cluster, long before, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		java.util.OptionalLong now;
		do {
			now = watchers(cluster);
			if (now.isPresent() && now.getAsLong() <= before) {
				return List.of();
			}
			Thread.sleep(100);
		}
		while (System.nanoTime() < deadline);
		return List.of(now.isPresent() ? "watchers left in etcd: " + now.getAsLong() + ", " + before + " before the run"
				: "etcd reports no watcher gauge");
	}

	/** @return the heap in use after a full collection */
	static long heapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** @return a violation when the heap after a collection grew by more than the JVM's own slack */
	static List<String> checkHeap(long before) {
		long after = heapAfterGc();
		System.out.printf("  heap after GC: %d MB before the run, %d MB after%n", before >> 20, after >> 20);
		return (after > before + HEAP_SLACK)
				? List.of("heap after GC grew from " + (before >> 20) + " MB to " + (after >> 20) + " MB") : List.of();
	}

	/** @return what etcd still holds after {@code timeout}: leases, and keys under the actors' prefixes */
	static List<String> check(EtcdCluster cluster, Client client, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<String> left;
		do {
			left = new ArrayList<>();
			if (!cluster.leases().isEmpty()) {
				left.add("leases left in etcd: " + cluster.leases());
			}
			for (String prefix : PREFIXES) {
				long count = client.getKVClient()
					.get(bytes(prefix), GetOption.builder().isPrefix(true).withCountOnly(true).build())
					.get(10, TimeUnit.SECONDS)
					.getCount();
				if (count > 0) {
					left.add(count + " keys left under " + prefix);
				}
			}
			if (left.isEmpty()) {
				return left;
			}
			Thread.sleep(100);
		}
		while (System.nanoTime() < deadline);
		return left;
	}

	/** @return the names of the JVM's threads but the test harness's (proxies, process reapers, pools) */
	static List<String> threads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> HARNESS.stream().noneMatch(name::startsWith))
			.sorted()
			.toList();
	}

	/**
	 * @param before {@link #threads()} before the run
	 * @return a violation naming the threads that are there after the run and were not before
	 */
	static List<String> checkThreads(List<String> before, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<String> extra;
		do {
			extra = new ArrayList<>(threads());
			before.forEach(extra::remove);
			if (extra.isEmpty()) {
				return List.of();
			}
			Thread.sleep(100);
		}
		while (System.nanoTime() < deadline);
		return List.of("threads left after the run: " + extra);
	}

}
