package io.github.etcdgrpclb.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A holder cut off from etcd (its connection through a blocked proxy) while it holds a lock, longer
 * than the lock's TTL: it must see the lock invalid before anyone else can acquire it, and the next
 * holder's fencing token must be larger.
 */
class LockLeaseLossTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final Duration TTL = Duration.ofSeconds(2);

	@Test
	void cutOffHolderShouldSeeItsLockInvalidBeforeTheNextHolderGetsIt() throws Exception {
		try (TcpProxy proxy = new TcpProxy(etcd.etcd().member(0).clientEndpoint());
				Client cutOff = Client.builder().endpoints(proxy.endpoint("http")).build();
				EtcdLockTemplate holderLocks = new EtcdLockTemplate(cutOff, "/locks", TTL);
				RawEtcd raw = new RawEtcd(etcd.endpoints());
				EtcdLockTemplate nextLocks = new EtcdLockTemplate(raw.client(), "/locks", TTL)) {
			LockLease held = holderLocks.tryLock("fenced", Duration.ofSeconds(5));
			CompletableFuture<long[]> next = CompletableFuture.supplyAsync(() -> {
				try (LockLease lock = nextLocks.tryLock("fenced", Duration.ofSeconds(20))) {
					return new long[] { System.nanoTime(), lock.token() };
				}
				catch (InterruptedException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.list("/locks/fenced/").size() == 2);
			proxy.block();
			long cut = System.nanoTime();
			await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> !held.isValid());
			long invalid = System.nanoTime();
			long[] acquired = next.get(20, TimeUnit.SECONDS);
			assertThat(invalid).as("the holder knew before the next holder got the lock").isLessThan(acquired[0]);
			assertThat(acquired[1]).as("fencing token of the next holder").isGreaterThan(held.token());
			assertThat(Duration.ofNanos(invalid - cut)).as("invalid within the TTL of the cut").isLessThan(TTL);
			proxy.unblock();
		}
	}

}
