package io.github.etcdgrpclb.benchmarks;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.lock.EtcdLockAutoConfiguration;
import io.github.etcdgrpclb.spring.lock.EtcdLock;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lock throughput against one real etcd on loopback, ours and jetcd's {@code Lock} API in the same run.
 * <ul>
 * <li>Uncontended: one thread doing lock + unlock back to back, through an {@code @EtcdLock} method,
 * through {@link EtcdLockTemplate#tryLock}, and through jetcd {@code lock}/{@code unlock} with a
 * pre-granted lease; one call of each in turn, so that etcd's drift hits all three alike.</li>
 * <li>Contended: 4 threads on one name, each with a client (and so a lease) of its own, like four
 * processes: acquisitions/s, the wait per acquisition, and whether holders came in queue order.</li>
 * </ul>
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.LockThroughput}
 */
public final class LockThroughput {

	private static final int ROUNDS = 5;

	private static final int OPERATIONS_PER_ROUND = 2000;

	private static final int CONTENDERS = 4;

	private LockThroughput() {
	}

	public static void main(String[] args) throws Exception {
		try (EtcdCluster etcd = EtcdCluster.startSingle();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
					.web(WebApplicationType.NONE)
					.properties("etcd.endpoints=" + etcd.endpoints(), "logging.level.root=WARN")
					.run();
				RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			LockedJob job = context.getBean(LockedJob.class);
			EtcdLockTemplate template = context.getBean(EtcdLockTemplate.class);
			Client jetcd = raw.client();
			long lease = jetcd.getLeaseClient().grant(60).get().getID();
			// Kept alive: a run longer than the TTL would otherwise die with "requested lease not found".
			LeaseKeepAlive jetcdLease = LeaseKeepAlive.start(jetcd, lease,
					(reason) -> System.err.println("jetcd benchmark lease lost: " + reason));
			Callable<Void> annotated = () -> {
				job.run();
				return null;
			};
			Callable<Void> programmatic = () -> {
				template.tryLock("bench-template", Duration.ofSeconds(5)).close();
				return null;
			};
			Callable<Void> jetcdLock = () -> {
				ByteSequence key = jetcd.getLockClient().lock(bytes("/locks/bench-jetcd"), lease).get().getKey();
				jetcd.getLockClient().unlock(key).get();
				return null;
			};
			List<Callable<Void>> uncontended = List.of(annotated, programmatic, jetcdLock);
			pairedOpsPerSecond(uncontended, 1000); // warm-up
			double[][] rounds = new double[ROUNDS][];
			for (int round = 0; round < ROUNDS; round++) {
				rounds[round] = pairedOpsPerSecond(uncontended, OPERATIONS_PER_ROUND);
			}
			double[] ratios = java.util.Arrays.stream(rounds).mapToDouble((r) -> r[0] / r[2]).toArray();
			System.out.printf("uncontended @EtcdLock:           %.0f lock+unlock/s (median of %d rounds)%n", median(rounds, 0), ROUNDS);
			System.out.printf("uncontended EtcdLockTemplate:    %.0f lock+unlock/s%n", median(rounds, 1));
			System.out.printf("uncontended jetcd Lock API:      %.0f lock+unlock/s%n", median(rounds, 2));
			System.out.printf("uncontended ratio @EtcdLock / jetcd: median %.2f, rounds %s (goal >= 0.9)%n", median(ratios),
					java.util.Arrays.toString(java.util.Arrays.stream(ratios).map((r) -> Math.round(r * 100) / 100.0).toArray()));

			Contended ourContended = contended(etcd, (client) -> {
				EtcdLockTemplate own = new EtcdLockTemplate(client, "/locks", Duration.ofSeconds(10));
				return new Acquirer() {

					@Override
					public Held acquire() throws Exception {
						LockLease lock = own.tryLock("bench-contended", Duration.ofSeconds(30));
						return new Held(lock.token(), lock::close);
					}

					@Override
					public void close() {
						own.close();
					}

				};
			});
			Contended jetcdContended = contended(etcd, (client) -> {
				long own = client.getLeaseClient().grant(60).get().getID();
				LeaseKeepAlive ownLease = LeaseKeepAlive.start(client, own,
						(reason) -> System.err.println("jetcd benchmark lease lost: " + reason));
				return new Acquirer() {

					@Override
					public Held acquire() throws Exception {
						var response = client.getLockClient()
							.lock(bytes("/locks/bench-contended-jetcd"), own)
							.get(30, TimeUnit.SECONDS);
						ByteSequence key = response.getKey();
						return new Held(response.getHeader().getRevision(),
								() -> client.getLockClient().unlock(key).orTimeout(30, TimeUnit.SECONDS).join());
					}

					@Override
					public void close() {
						ownLease.close();
					}

				};
			});
			Contended putIfAbsent = contended(etcd, PutIfAbsentLock::new);
			jetcdLease.close();
			System.out.println("contended, " + CONTENDERS + " clients, ours:  " + ourContended.summary());
			System.out.println("contended, " + CONTENDERS + " clients, jetcd: " + jetcdContended.summary());
			System.out.println("contended, " + CONTENDERS + " clients, put-if-absent: " + putIfAbsent.summary());
			System.out.printf("contended ratio ours / jetcd: %.1f (goal >= 20)%n",
					ourContended.perSecond / jetcdContended.perSecond);
			System.out.printf("contended ratio ours / put-if-absent: %.2f (goal >= 0.9)%n",
					ourContended.perSecond / putIfAbsent.perSecond);
		}
	}

	/**
	 * Runs the operations in turn, one call each, over and over, timing each call: an etcd hiccup
	 * (fsync, compaction) falls on all of them alike instead of on whichever ran in that second.
	 * @return operations per second of each
	 */
	private static double[] pairedOpsPerSecond(List<Callable<Void>> operations, int times) throws Exception {
		long[] nanos = new long[operations.size()];
		for (int i = 0; i < times; i++) {
			for (int turn = 0; turn < operations.size(); turn++) {
				int op = (i + turn) % operations.size(); // who goes first rotates: no one always follows the same one
				long start = System.nanoTime();
				operations.get(op).call();
				nanos[op] += System.nanoTime() - start;
			}
		}
		return java.util.Arrays.stream(nanos).mapToDouble((total) -> times / (total / 1e9)).toArray();
	}

	private static Contended contended(EtcdCluster etcd, ContenderFactory factory) throws Exception {
		List<AutoCloseable> clients = new ArrayList<>();
		List<Acquirer> acquirers = new ArrayList<>();
		for (int i = 0; i < CONTENDERS; i++) {
			Client client = Client.builder().endpoints(etcd.endpoints().split(",")).build();
			clients.add(client);
			Acquirer acquirer = factory.create(client);
			acquirers.add(acquirer);
			clients.add(0, acquirer);
		}
		List<Long> tokens = new CopyOnWriteArrayList<>();
		List<Double> waits = new CopyOnWriteArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
		List<Future<?>> work = new ArrayList<>();
		for (Acquirer acquirer : acquirers) {
			work.add(threads.submit(() -> {
				start.await();
				while (running.get()) {
					long asked = System.nanoTime();
					Held held = acquirer.acquire();
					waits.add((System.nanoTime() - asked) / 1e6);
					tokens.add(held.token);
					held.release.run();
				}
				return null;
			}));
		}
		long began = System.nanoTime();
		start.countDown();
		Thread.sleep(Duration.ofSeconds(10).toMillis());
		running.set(false);
		for (Future<?> future : work) {
			future.get(60, TimeUnit.SECONDS);
		}
		double seconds = (System.nanoTime() - began) / 1e9;
		threads.shutdown();
		for (AutoCloseable closeable : clients) {
			closeable.close();
		}
		boolean inQueueOrder = true;
		for (int i = 1; i < tokens.size(); i++) {
			inQueueOrder &= tokens.get(i) > tokens.get(i - 1);
		}
		return new Contended(tokens.size() / seconds,
				new Percentiles(waits.stream().mapToDouble(Double::doubleValue).toArray()), inQueueOrder);
	}

	private static double median(double[][] rounds, int column) {
		return median(java.util.Arrays.stream(rounds).mapToDouble((r) -> r[column]).toArray());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		java.util.Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	@FunctionalInterface
	interface ContenderFactory {

		Acquirer create(Client client) throws Exception;

	}

	@FunctionalInterface
	interface Acquirer extends AutoCloseable {

		Held acquire() throws Exception;

		@Override
		default void close() {
		}

	}

	record Held(long token, Runnable release) {
	}

	record Contended(double perSecond, Percentiles waits, boolean inQueueOrder) {

		String summary() {
			return String.format("%.0f acquisitions/s, wait %s, holders in queue order: %s", this.perSecond,
					this.waits.summary(), this.inQueueOrder);
		}

	}

	/** The application: etcd and lock auto-configuration, and the job. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, EtcdAutoConfiguration.class,
			EtcdLockAutoConfiguration.class })
	static class Application {

		@Bean
		LockedJob lockedJob() {
			return new LockedJob();
		}

	}

	/** The {@code @EtcdLock} method measured. */
	public static class LockedJob {

		@EtcdLock(key = "bench-annotated", waitTime = "5s")
		public void run() {
		}

	}


	/**
	 * The simplest etcd lock, for comparison: a transaction puts the key if it does not exist (on the
	 * contender's lease); a loser watches the key from the revision it read + 1 and tries again when
	 * it is deleted. No queue (no FIFO order, a thundering herd on every release), one key.
	 */
	static final class PutIfAbsentLock implements Acquirer {

		private static final ByteSequence KEY = bytes("/locks/bench-contended-put-if-absent");

		private final Client client;

		private final LeaseKeepAlive lease;

		private final long leaseId;

		PutIfAbsentLock(Client client) throws Exception {
			this.client = client;
			this.leaseId = client.getLeaseClient().grant(10).get().getID();
			this.lease = LeaseKeepAlive.start(client, this.leaseId,
					(reason) -> System.err.println("put-if-absent benchmark lease lost: " + reason));
		}

		@Override
		public Held acquire() throws Exception {
			while (true) {
				var response = this.client.getKVClient()
					.txn()
					.If(new Cmp(KEY, Cmp.Op.EQUAL,
							CmpTarget.createRevision(0)))
					.Then(Op.put(KEY, bytes("held"),
							PutOption.builder().withLeaseId(this.leaseId).build()))
					.commit()
					.get(30, TimeUnit.SECONDS);
				long revision = response.getHeader().getRevision();
				if (response.isSucceeded()) {
					return new Held(revision, () -> this.client.getKVClient().delete(KEY).orTimeout(30, TimeUnit.SECONDS).join());
				}
				CompletableFuture<Void> deleted = new CompletableFuture<>();
				try (Watch.Watcher watcher = this.client.getWatchClient()
					.watch(KEY, WatchOption.builder().withRevision(revision + 1).build(),
							(events) -> {
								if (events.getEvents().stream().anyMatch((event) -> event
									.getEventType() == WatchEvent.EventType.DELETE)) {
									deleted.complete(null);
								}
							})) {
					deleted.get(30, TimeUnit.SECONDS);
				}
			}
		}

		@Override
		public void close() {
			this.lease.close();
		}

	}

}
