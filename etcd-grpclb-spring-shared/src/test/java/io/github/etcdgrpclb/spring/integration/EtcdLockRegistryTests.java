package io.github.etcdgrpclb.spring.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cases of Spring Integration's own LockRegistry tests (Redis, JDBC, Zookeeper), on a real etcd:
 * two registries on two lock templates play two processes. Plus what only etcd's locks give: the
 * fencing token and the etcd condition of ownership, and the exclusion of {@code @EtcdLock}'s
 * template on the same key.
 */
class EtcdLockRegistryTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private Client client;

	private EtcdLockTemplate templateOne;

	private EtcdLockTemplate templateTwo;

	private EtcdLockRegistry one;

	private EtcdLockRegistry two;

	@BeforeEach
	void twoProcesses() {
		this.client = Client.builder().endpoints(etcd.endpoints().split(",")).build();
		this.templateOne = new EtcdLockTemplate(this.client, "/locks", Duration.ofSeconds(5));
		this.templateTwo = new EtcdLockTemplate(this.client, "/locks", Duration.ofSeconds(5));
		this.one = new EtcdLockRegistry(this.templateOne);
		this.two = new EtcdLockRegistry(this.templateTwo);
	}

	@AfterEach
	void close() {
		this.threads.shutdownNow();
		this.templateOne.close();
		this.templateTwo.close();
		this.client.close();
	}

	@Test
	void lockShouldExcludeTheOtherProcessAndLeaveNoKeyOnceUnlocked() throws Exception {
		Lock lock = this.one.obtain("foo");
		lock.lock();
		assertThat(keys("/locks/foo/")).hasSize(1);
		assertThat(inOtherThread(() -> this.two.obtain("foo").tryLock())).isFalse();
		lock.unlock();
		assertThat(keys("/locks/foo/")).isEmpty();
		Lock other = this.two.obtain("foo");
		assertThat(inOtherThread(() -> {
			boolean locked = other.tryLock();
			other.unlock();
			return locked;
		})).isTrue();
	}

	@Test
	void lockShouldBeReentrantForItsThreadOnly() throws Exception {
		Lock lock = this.one.obtain("foo");
		lock.lock();
		lock.lockInterruptibly();
		assertThat(lock.tryLock(10, TimeUnit.MILLISECONDS)).isTrue();
		lock.unlock();
		lock.unlock();
		assertThat(inOtherThread(() -> this.two.obtain("foo").tryLock())).as("still held once").isFalse();
		assertThat(inOtherThread(() -> lock.tryLock())).as("another thread of the same process").isFalse();
		lock.unlock();
		assertThat(keys("/locks/foo/")).isEmpty();
	}

	@Test
	void secondThreadShouldWaitAndGetTheLockOnceTheFirstUnlocks() throws Exception {
		Lock lock = this.one.obtain("foo");
		lock.lock();
		List<String> order = new CopyOnWriteArrayList<>();
		CountDownLatch waiting = new CountDownLatch(1);
		Future<?> second = this.threads.submit(() -> {
			Lock same = this.one.obtain("foo");
			waiting.countDown();
			same.lock();
			order.add("second locked");
			same.unlock();
		});
		waiting.await();
		assertThat(inOtherThread(() -> this.two.obtain("foo").tryLock(200, TimeUnit.MILLISECONDS))).isFalse();
		order.add("first unlocks");
		lock.unlock();
		second.get(10, TimeUnit.SECONDS);
		assertThat(order).containsExactly("first unlocks", "second locked");
	}

	@Test
	void interruptedWaiterShouldGiveUpAndLeaveNothingInEtcd() throws Exception {
		Lock lock = this.one.obtain("foo");
		lock.lock();
		CompletableFuture<Throwable> outcome = new CompletableFuture<>();
		Thread waiter = new Thread(() -> {
			try {
				this.two.obtain("foo").lockInterruptibly();
				outcome.complete(null);
			}
			catch (Throwable ex) {
				outcome.complete(ex);
			}
		});
		waiter.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> keys("/locks/foo/").size() == 2);
		waiter.interrupt();
		assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> keys("/locks/foo/").size() == 1);
		lock.unlock();
	}

	@Test
	void unlockByAThreadThatDoesNotHoldTheLockShouldFail() throws Exception {
		Lock lock = this.one.obtain("foo");
		lock.lock();
		Future<?> wrong = this.threads.submit(lock::unlock);
		assertThat(wrong).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.withCauseInstanceOf(IllegalMonitorStateException.class);
		assertThat(keys("/locks/foo/")).hasSize(1);
		lock.unlock();
	}

	@Test
	void conditionsShouldNotBeSupported() {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> this.one.obtain("foo").newCondition());
	}

	@Test
	void registryShouldKeepOneLockPerKeyUntilItExpiresUnused() {
		EtcdRegistryLock held = this.one.obtain("held");
		EtcdRegistryLock idle = this.one.obtain("idle");
		assertThat(this.one.obtain("idle")).isSameAs(idle);
		held.lock();
		this.one.expireUnusedOlderThan(-1);
		assertThat(this.one.obtain("held")).as("a held lock stays").isSameAs(held);
		assertThat(this.one.obtain("idle")).as("an unused one goes").isNotSameAs(idle);
		held.unlock();
	}

	@Test
	void renewLockShouldPassForTheHolderAndFailForOthers() throws Exception {
		Lock lock = this.one.obtain("foo");
		assertThatIllegalStateException().isThrownBy(() -> this.one.renewLock("foo"));
		lock.lock();
		this.one.renewLock("foo");
		this.one.renewLock("foo", Duration.ofSeconds(30));
		assertThat(inOtherThread(() -> {
			try {
				this.one.renewLock("foo");
				return "renewed";
			}
			catch (IllegalStateException ex) {
				return "refused";
			}
		})).isEqualTo("refused");
		lock.unlock();
	}

	@Test
	void executeLockedShouldRunUnderTheLock() throws Exception {
		String ran = this.one.executeLocked("foo", () -> {
			assertThat(keys("/locks/foo/")).hasSize(1);
			return "ran";
		});
		assertThat(ran).isEqualTo("ran");
		assertThat(keys("/locks/foo/")).isEmpty();
	}

	@Test
	void eachHolderShouldGetAHigherFencingTokenAndWriteOnlyWhileItOwnsTheLock() throws Exception {
		EtcdRegistryLock first = this.one.obtain("foo");
		first.lock();
		LockLease firstHold = first.lease();
		assertThat(guardedPut(firstHold, "first")).isTrue();
		first.unlock();
		assertThat(guardedPut(firstHold, "first again")).as("released: etcd refuses").isFalse();
		long secondToken = inOtherThread(() -> {
			EtcdRegistryLock second = this.two.obtain("foo");
			second.lock();
			try {
				return second.lease().token();
			}
			finally {
				second.unlock();
			}
		});
		assertThat(secondToken).isGreaterThan(firstHold.token());
		assertThat(first.lease()).as("no hold left").isNull();
	}

	@Test
	void lockLostWhileHeldShouldFailItsUnlockAndFreeTheKey() throws Exception {
		EtcdRegistryLock lock = this.one.obtain("foo");
		lock.lock();
		LockLease hold = lock.lease();
		this.client.getLeaseClient().revoke(hold.leaseId()).get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> !hold.isValid());
		assertThat(inOtherThread(() -> {
			Lock other = this.two.obtain("foo");
			boolean locked = other.tryLock(5, TimeUnit.SECONDS);
			other.unlock();
			return locked;
		})).isTrue();
		assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(lock::unlock)
			.withMessageContaining("was lost while held");
		assertThat(lock.isHeldByCurrentThread()).isFalse();
	}

	@Test
	void registryLockAndEtcdLockMethodsShouldExcludeEachOther() throws Exception {
		Lock lock = this.one.obtain("reports");
		lock.lock();
		assertThat(inOtherThread(() -> {
			try (LockLease ignored = this.templateTwo.tryLock("reports", Duration.ofMillis(200))) {
				return "acquired";
			}
			catch (io.github.etcdgrpclb.lock.LockNotAcquiredException ex) {
				return "excluded";
			}
		})).isEqualTo("excluded");
		lock.unlock();
	}

	@Test
	void lockWithATtlShouldPutItsKeyOnALeaseOfThatTtl() throws Exception {
		EtcdRegistryLock lock = this.one.obtain("foo");
		lock.lock(Duration.ofSeconds(3));
		long granted = this.client.getLeaseClient().timeToLive(lock.lease().leaseId(),
				io.etcd.jetcd.options.LeaseOption.DEFAULT).get(5, TimeUnit.SECONDS).getGrantedTTL();
		assertThat(granted).isEqualTo(3);
		lock.unlock();
	}

	@Test
	void keysShouldBeNonBlankStrings() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.one.obtain(42)).withMessageContaining("String");
		assertThatIllegalArgumentException().isThrownBy(() -> this.one.obtain(" "));
	}

	private <T> T inOtherThread(java.util.concurrent.Callable<T> task) throws Exception {
		return this.threads.submit(task).get(15, TimeUnit.SECONDS);
	}

	private boolean guardedPut(LockLease hold, String value) throws Exception {
		return this.client.getKVClient()
			.txn()
			.If(hold.ownership())
			.Then(Op.put(bytes("/report"), bytes(value), PutOption.DEFAULT))
			.commit()
			.get(5, TimeUnit.SECONDS)
			.isSucceeded();
	}

	private List<String> keys(String prefix) throws Exception {
		return this.client.getKVClient()
			.get(bytes(prefix), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
			.get(5, TimeUnit.SECONDS)
			.getKvs()
			.stream()
			.map((kv) -> kv.getKey().toString(StandardCharsets.UTF_8))
			.toList();
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

}
