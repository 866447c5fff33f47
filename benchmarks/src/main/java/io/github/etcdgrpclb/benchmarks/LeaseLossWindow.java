package io.github.etcdgrpclb.benchmarks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.TcpProxy;

/**
 * A lock holder cut off from etcd (a real partition: its connection through a proxy that is blocked)
 * while another client waits for the lock: from the cut to the holder seeing {@code isValid()} false,
 * from the cut to the waiter holding the lock, and the window between the two (the time the old
 * holder knows it lost the lock before anyone else has it; it must be positive). N runs per TTL
 * (default 10, TTLs 2 s and 5 s).
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.LeaseLossWindow}
 */
public final class LeaseLossWindow {

	private LeaseLossWindow() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 10;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			for (Duration ttl : new Duration[] { Duration.ofSeconds(2), Duration.ofSeconds(5) }) {
				double[] invalid = new double[runs];
				double[] acquired = new double[runs];
				double[] window = new double[runs];
				for (int run = 0; run < runs; run++) {
					long[] times = cutOnce(etcd, raw, ttl, "window-" + ttl.toSeconds() + "-" + run);
					invalid[run] = times[0] / 1e6;
					acquired[run] = times[1] / 1e6;
					window[run] = (times[1] - times[0]) / 1e6;
				}
				System.out.printf("TTL %d s, cut -> holder's isValid() false:   %s%n", ttl.toSeconds(),
						new Percentiles(invalid).summary());
				System.out.printf("TTL %d s, cut -> next holder has the lock:   %s%n", ttl.toSeconds(),
						new Percentiles(acquired).summary());
				System.out.printf("TTL %d s, window (next holder - invalid):   %s min=%.1f ms%n", ttl.toSeconds(),
						new Percentiles(window).summary(), new Percentiles(window).at(0));
			}
		}
	}

	/** @return nanoseconds from the cut to the holder's lock invalid, and to the next holder's lock */
	private static long[] cutOnce(EtcdCluster etcd, RawEtcd raw, Duration ttl, String name) throws Exception {
		try (TcpProxy proxy = new TcpProxy(etcd.member(0).clientEndpoint());
				Client cutOff = Client.builder().endpoints(proxy.endpoint("http")).build();
				EtcdLockTemplate holderLocks = new EtcdLockTemplate(cutOff, "/locks", ttl);
				EtcdLockTemplate nextLocks = new EtcdLockTemplate(raw.client(), "/locks", ttl)) {
			LockLease held = holderLocks.tryLock(name, Duration.ofSeconds(5));
			CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
				try (LockLease lock = nextLocks.tryLock(name, Duration.ofSeconds(30))) {
					long at = System.nanoTime();
					if (lock.token() <= held.token()) {
						throw new IllegalStateException("fencing token did not grow");
					}
					return at;
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			while (raw.list("/locks/" + name + "/").size() < 2) {
				LockSupport.parkNanos(1_000_000);
			}
			proxy.block();
			long cut = System.nanoTime();
			while (held.isValid()) {
				LockSupport.parkNanos(200_000);
			}
			long invalid = System.nanoTime();
			long acquired = next.get(30, TimeUnit.SECONDS);
			return new long[] { invalid - cut, acquired - cut };
		}
	}

}
