package io.github.etcdgrpclb.lock;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.lock.LockResponse;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lock core on its own, without Spring, against a real etcd.
 */
class EtcdLockTemplateTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static RawEtcd nodeA;

	static RawEtcd nodeB;

	@BeforeAll
	static void connect() {
		nodeA = new RawEtcd(etcd.endpoints());
		nodeB = new RawEtcd(etcd.endpoints());
	}

	@AfterAll
	static void disconnect() {
		nodeA.close();
		nodeB.close();
	}

	private final List<EtcdLockTemplate> templates = new ArrayList<>();

	@AfterEach
	void closeTemplates() {
		this.templates.forEach(EtcdLockTemplate::close);
	}

	private EtcdLockTemplate template(RawEtcd node) {
		EtcdLockTemplate template = new EtcdLockTemplate(node.client(), "/locks", Duration.ofSeconds(5));
		this.templates.add(template);
		return template;
	}

	@Test
	void twoNodesWithFourThreadsEachShouldNeverHoldTheLockTogether() throws Exception {
		List<EtcdLockTemplate> nodes = List.of(template(nodeA), template(nodeB));
		int[] counter = { 0 };
		AtomicInteger holders = new AtomicInteger();
		AtomicInteger maxHolders = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			EtcdLockTemplate node = nodes.get(t % 2);
			work.add(threads.submit(() -> {
				for (int i = 0; i < 63; i++) {
					node.execute("counter", Duration.ofSeconds(30), () -> {
						maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
						int read = counter[0];
						Thread.yield();
						counter[0] = read + 1;
						holders.decrementAndGet();
						return null;
					});
				}
				return null;
			}));
		}
		for (Future<?> future : work) {
			future.get(120, TimeUnit.SECONDS);
		}
		threads.shutdown();
		assertThat(counter[0]).isEqualTo(8 * 63);
		assertThat(maxHolders).hasValue(1);
	}

	@Test
	void fourProcessesQueueingOverAndOverShouldBeServedInQueueOrderWithoutAFailure() throws Exception {
		// Each node re-queues under the same key name right after releasing: the shared watch must
		// not mistake the deletion of an earlier incarnation of a key for the current one.
		List<RawEtcd> nodes = new ArrayList<>();
		List<EtcdLockTemplate> locks = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			nodes.add(new RawEtcd(etcd.endpoints()));
			locks.add(new EtcdLockTemplate(nodes.get(i).client(), "/locks", Duration.ofSeconds(5)));
		}
		List<Long> tokensInHoldOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> work = new ArrayList<>();
			for (EtcdLockTemplate lock : locks) {
				work.add(threads.submit(() -> {
					for (int i = 0; i < 150; i++) {
						lock.execute("fifo", Duration.ofSeconds(30), () -> tokensInHoldOrder.add(EtcdLockContext.current().token()));
					}
					return null;
				}));
			}
			for (Future<?> future : work) {
				future.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdown();
			locks.forEach(EtcdLockTemplate::close);
			nodes.forEach(RawEtcd::close);
		}
		assertThat(tokensInHoldOrder).hasSize(600).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void waitTimeExpiryShouldThrowAndLeaveNothingInEtcd() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		EtcdLockTemplate b = template(nodeB);
		try (LockLease held = a.tryLock("busy", Duration.ZERO)) {
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> runInOtherThread(() -> b.tryLock("busy", Duration.ofMillis(300))))
				.withMessageContaining("/locks/busy")
				.withMessageContaining("PT0.3S");
			assertThat(nodeA.list("/locks/busy/")).as("b's key gone once b heard it failed").hasSize(1);
		}
		assertThat(nodeA.list("/locks/busy/")).as("a's key gone once a's unlock returned").isEmpty();
	}

	@Test
	void lockKeyShouldHaveEtcdsMutexLayout() throws Exception {
		try (LockLease lock = template(nodeA).tryLock("layout", Duration.ZERO)) {
			assertThat(lock.key()).isEqualTo("/locks/layout/" + Long.toHexString(lock.leaseId()));
			assertThat(nodeA.get(lock.key()).getLease()).isEqualTo(lock.leaseId());
		}
	}

	@Test
	void jetcdLockApiHolderShouldExcludeUsAndTheOtherWayAround() throws Exception {
		long lease = nodeB.client().getLeaseClient().grant(10).get(5, TimeUnit.SECONDS).getID();
		LockResponse theirs = nodeB.client().getLockClient().lock(bytes("/locks/shared"), lease).get(5, TimeUnit.SECONDS);
		EtcdLockTemplate ours = template(nodeA);
		assertThatExceptionOfType(LockNotAcquiredException.class)
			.isThrownBy(() -> runInOtherThread(() -> ours.tryLock("shared", Duration.ofMillis(300))));
		nodeB.client().getLockClient().unlock(theirs.getKey()).get(5, TimeUnit.SECONDS);
		try (LockLease lock = ours.tryLock("shared", Duration.ofSeconds(2))) {
			long otherLease = nodeB.client().getLeaseClient().grant(10).get(5, TimeUnit.SECONDS).getID();
			assertThat(nodeB.client().getLockClient().lock(bytes("/locks/shared"), otherLease)
				.handle((r, e) -> r)
				.completeOnTimeout(null, 500, TimeUnit.MILLISECONDS)
				.get()).isNull();
			nodeB.revoke(otherLease);
		}
		nodeB.revoke(lease);
	}

	@Test
	void leaseRevokedWhileHeldShouldMarkTheLockInvalidAndTheNextAcquisitionUseANewLease() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		long lost;
		try (LockLease lock = a.tryLock("revoked", Duration.ZERO)) {
			assertThat(lock.isValid()).isTrue();
			lost = lock.leaseId();
			nodeB.revoke(lock.leaseId());
			await().atMost(Duration.ofSeconds(5)).until(() -> !lock.isValid());
			assertThat(a.heldLocks()).extracting(LockLease::name).containsExactly("/locks/revoked");
		}
		try (LockLease next = a.tryLock("revoked", Duration.ofSeconds(2))) {
			assertThat(next.leaseId()).isNotEqualTo(lost);
			assertThat(nodeA.get(next.key()).getLease()).isEqualTo(next.leaseId());
		}
	}

	@Test
	void waiterWhoseLeaseIsLostShouldFailCleanlyInsteadOfBelievingItOwnsTheLock() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		EtcdLockTemplate b = template(nodeB);
		try (LockLease held = a.tryLock("lost-waiter", Duration.ZERO)) {
			ExecutorService other = Executors.newSingleThreadExecutor();
			Future<LockLease> waiter = other.submit(() -> b.tryLock("lost-waiter", Duration.ofSeconds(20)));
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/lost-waiter/").size() == 2);
			long waiterLease = nodeA.list("/locks/lost-waiter/").stream()
				.mapToLong((kv) -> kv.getLease())
				.filter((lease) -> lease != held.leaseId())
				.findFirst()
				.getAsLong();
			nodeA.revoke(waiterLease);
			held.close();
			assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LockNotAcquiredException.class)
				.hasMessageContaining("lease was lost while waiting");
			other.shutdown();
		}
		assertThat(nodeA.list("/locks/lost-waiter/")).isEmpty();
	}

	@Test
	void nestedAcquisitionBySameThreadShouldBeReentrantAndReleasedByTheOutermost() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		EtcdLockTemplate b = template(nodeB);
		try (LockLease outer = a.tryLock("nested", Duration.ZERO)) {
			try (LockLease inner = a.tryLock("nested", Duration.ZERO)) {
				assertThat(inner.token()).isEqualTo(outer.token());
			}
			assertThat(outer.isValid()).isTrue();
			assertThatExceptionOfType(LockNotAcquiredException.class)
				.isThrownBy(() -> runInOtherThread(() -> b.tryLock("nested", Duration.ofMillis(200))));
		}
		try (LockLease next = runInOtherThread(() -> b.tryLock("nested", Duration.ofSeconds(2)))) {
			assertThat(next.isValid()).isTrue();
		}
	}

	@Test
	void waiterShouldBeServedWhenTheHolderLeavesEvenIfAWaiterBeforeItGaveUp() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		EtcdLockTemplate b = template(nodeB);
		RawEtcd nodeC = new RawEtcd(etcd.endpoints());
		EtcdLockTemplate c = new EtcdLockTemplate(nodeC.client(), "/locks", Duration.ofSeconds(5));
		ExecutorService others = Executors.newFixedThreadPool(2);
		try {
			LockLease held = a.tryLock("queue", Duration.ZERO);
			Future<?> quitter = others.submit(() -> b.tryLock("queue", Duration.ofSeconds(1)));
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/queue/").size() == 2);
			Future<LockLease> patient = others.submit(() -> c.tryLock("queue", Duration.ofSeconds(20)));
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/queue/").size() == 3);
			assertThatThrownBy(() -> quitter.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(LockNotAcquiredException.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/queue/").size() == 2);
			assertThat(patient.isDone()).isFalse();
			held.close();
			try (LockLease next = patient.get(10, TimeUnit.SECONDS)) {
				assertThat(next.token()).isGreaterThan(held.token());
			}
		}
		finally {
			others.shutdown();
			c.close();
			nodeC.close();
		}
	}

	@Test
	void tokensShouldGrowWithEachHolder() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		long first;
		try (LockLease lock = a.tryLock("fenced", Duration.ZERO)) {
			first = lock.token();
		}
		try (LockLease lock = template(nodeB).tryLock("fenced", Duration.ZERO)) {
			assertThat(lock.token()).isGreaterThan(first);
		}
	}

	@Test
	void interruptedWaiterShouldLeaveNoKey() throws Exception {
		EtcdLockTemplate a = template(nodeA);
		EtcdLockTemplate b = template(nodeB);
		try (LockLease held = a.tryLock("interrupted", Duration.ZERO)) {
			AtomicReference<Throwable> outcome = new AtomicReference<>();
			CountDownLatch done = new CountDownLatch(1);
			Thread waiter = new Thread(() -> {
				try {
					b.tryLock("interrupted", Duration.ofSeconds(30)).close();
				}
				catch (Throwable ex) {
					outcome.set(ex);
				}
				done.countDown();
			});
			waiter.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/interrupted/").size() == 2);
			waiter.interrupt();
			assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
			await().atMost(Duration.ofSeconds(3)).until(() -> nodeA.list("/locks/interrupted/").size() == 1);
		}
	}

	@Test
	void thousandAcquisitionsShouldUseOneLeaseAndLeakNothing() throws Exception {
		List<Long> before = etcd.etcd().leases();
		EtcdLockTemplate a = new EtcdLockTemplate(nodeA.client(), "/locks", Duration.ofSeconds(5));
		ExecutorService threads = Executors.newFixedThreadPool(4);
		List<Future<?>> work = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			int thread = t;
			work.add(threads.submit(() -> {
				for (int i = 0; i < 250; i++) {
					a.execute("churn-" + (i + thread) % 8, Duration.ofSeconds(10), () -> null);
				}
				return null;
			}));
		}
		for (Future<?> future : work) {
			future.get(60, TimeUnit.SECONDS);
		}
		threads.shutdown();
		List<Long> during = new ArrayList<>(etcd.etcd().leases());
		during.removeAll(before);
		assertThat(during).hasSize(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.list("/locks/churn-").isEmpty());
		await().atMost(Duration.ofSeconds(5)).until(() -> a.namesInUse() == 0);
		a.close();
		// Its own lease is gone; a lease of an earlier test may still be on its way out (revoked asynchronously).
		assertThat(etcd.etcd().leases()).doesNotContainAnyElementsOf(during);
	}

	@Test
	void closingTheTemplateShouldReleaseWhatItHolds() throws Exception {
		EtcdLockTemplate a = new EtcdLockTemplate(nodeA.client(), "/locks", Duration.ofSeconds(5));
		LockLease lock = a.tryLock("closed", Duration.ZERO);
		a.close();
		assertThat(lock.isValid()).isFalse();
		assertThat(nodeA.list("/locks/closed/")).isEmpty();
		try (LockLease next = template(nodeB).tryLock("closed", Duration.ZERO)) {
			assertThat(next.isValid()).isTrue();
		}
		lock.close();
	}

	private static <T> T runInOtherThread(java.util.concurrent.Callable<T> action) throws Exception {
		ExecutorService other = Executors.newSingleThreadExecutor();
		try {
			return other.submit(action).get(30, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			throw ex;
		}
		finally {
			other.shutdown();
		}
	}

}
