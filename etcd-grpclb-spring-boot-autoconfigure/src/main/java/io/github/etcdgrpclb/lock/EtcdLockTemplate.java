package io.github.etcdgrpclb.lock;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide locks on etcd, with the key layout and ordering of etcd's {@code concurrency.Mutex}
 * (so Go programs and jetcd {@code Lock} users on the same name are excluded too): each attempt
 * grants a lease of its own, puts {@code <prefix>/<key>/<lease-hex>} if absent, and owns the lock
 * when no key under {@code <prefix>/<key>/} has a smaller create revision. A waiter watches the
 * deletion of the key just before its own from the Get's revision + 1 (a watch from the current
 * revision is served late by etcd's lagging-watcher loop, ~100 ms), then checks again; waiters are
 * served in arrival order. A crashed holder's lease expires and frees the lock.
 * <p>
 * A wait that times out or is interrupted revokes its lease, so its queued key disappears and etcd
 * never grants it later. Nested acquisitions of the same key by the same thread are reentrant.
 */
public class EtcdLockTemplate {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLockTemplate.class);

	private final Client client;

	private final String prefix;

	private final Duration defaultLeaseTtl;

	private final Duration requestTimeout;

	private final ThreadLocal<Map<String, Reentry>> reentries = ThreadLocal.withInitial(HashMap::new);

	/**
	 * @param client the etcd client
	 * @param prefix the lock key prefix, e.g. {@code /locks} (no trailing slash)
	 * @param defaultLeaseTtl the TTL of each lock's lease (whole seconds, at least 2 s)
	 */
	public EtcdLockTemplate(Client client, String prefix, Duration defaultLeaseTtl) {
		this.client = client;
		this.prefix = prefix;
		this.defaultLeaseTtl = defaultLeaseTtl;
		this.requestTimeout = Duration.ofSeconds(5);
	}

	/**
	 * Runs the action while holding the lock, which is released afterwards whatever happens.
	 * Inside, {@link EtcdLockContext#current()} gives the lock.
	 * @param key the lock key (below the prefix)
	 * @param waitTime how long to wait for the lock; zero tries once
	 * @param action what to run
	 * @return the action's result
	 * @throws LockNotAcquiredException when the lock was not acquired in time
	 * @throws Exception whatever the action throws
	 */
	public <T> T execute(String key, Duration waitTime, Callable<T> action) throws Exception {
		return execute(key, waitTime, this.defaultLeaseTtl, action);
	}

	/**
	 * Runs the action while holding the lock on a lease of the given TTL.
	 * @see #execute(String, Duration, Callable)
	 */
	public <T> T execute(String key, Duration waitTime, Duration leaseTtl, Callable<T> action) throws Exception {
		try (LockLease lock = tryLock(key, waitTime, leaseTtl)) {
			EtcdLockContext.push(lock);
			try {
				return action.call();
			}
			finally {
				EtcdLockContext.pop();
				if (!lock.isValid()) {
					logger.warn("etcd lock {} was lost while held (lease expired or revoked); token {}", lock.name(),
							lock.token());
				}
			}
		}
	}

	/**
	 * Acquires the lock with the default lease TTL.
	 * @see #tryLock(String, Duration, Duration)
	 */
	public LockLease tryLock(String key, Duration waitTime) throws InterruptedException {
		return tryLock(key, waitTime, this.defaultLeaseTtl);
	}

	/**
	 * Acquires the lock, waiting at most {@code waitTime}. Close the returned lock to release it.
	 * @param key the lock key (below the prefix)
	 * @param waitTime how long to wait; zero tries once
	 * @param leaseTtl the TTL of the lock's lease, kept alive while held
	 * @return the held lock
	 * @throws LockNotAcquiredException when not acquired in time (nothing is left in etcd)
	 * @throws InterruptedException when interrupted while waiting (nothing is left in etcd)
	 */
	public LockLease tryLock(String key, Duration waitTime, Duration leaseTtl) throws InterruptedException {
		String name = this.prefix + "/" + key;
		Reentry reentry = this.reentries.get().get(name);
		if (reentry != null && reentry.lock.isValid()) {
			reentry.depth++;
			return reentry.lock.reentered(() -> reentry.depth--);
		}
		LockLease lock = acquire(name, waitTime, leaseTtl);
		Reentry held = new Reentry(lock);
		this.reentries.get().put(name, held);
		return held.lock.reentered(() -> {
			if (--held.depth == 0) {
				this.reentries.get().remove(name);
				lock.close();
			}
		});
	}

	private LockLease acquire(String name, Duration waitTime, Duration leaseTtl) throws InterruptedException {
		long deadline = System.nanoTime() + waitTime.toNanos();
		long lease = await(this.client.getLeaseClient().grant(Math.max(2, (leaseTtl.toMillis() + 999) / 1000)), name,
				waitTime).getID();
		AtomicBoolean valid = new AtomicBoolean(true);
		CloseableClient keepAlive = this.client.getLeaseClient().keepAlive(lease, new LeaseWatch(name, valid));
		String pfx = name + "/";
		String myKey = pfx + Long.toHexString(lease);
		boolean acquired = false;
		try {
			TxnResponse txn = await(this.client.getKVClient()
				.txn()
				.If(new Cmp(bytes(myKey), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
				.Then(Op.put(bytes(myKey), ByteSequence.EMPTY, PutOption.builder().withLeaseId(lease).build()))
				.Else(Op.get(bytes(myKey), GetOption.DEFAULT))
				.commit(), name, waitTime);
			long myRevision = txn.isSucceeded() ? txn.getHeader().getRevision()
					: txn.getGetResponses().get(0).getKvs().get(0).getCreateRevision();
			waitForPredecessors(name, pfx, myRevision, deadline, waitTime);
			acquired = true;
			return new LockLease(name, myKey, lease, myRevision, valid, keepAlive, () -> revoke(lease, name));
		}
		finally {
			if (!acquired) {
				keepAlive.close();
				revoke(lease, name);
			}
		}
	}

	/** Waits until no key under the lock has a smaller create revision than ours (etcd's waitDeletes). */
	private void waitForPredecessors(String name, String pfx, long myRevision, long deadline, Duration waitTime)
			throws InterruptedException {
		while (true) {
			GetResponse before = await(this.client.getKVClient()
				.get(bytes(pfx),
						GetOption.builder()
							.isPrefix(true)
							.withMaxCreateRevision(myRevision - 1)
							.withSortField(GetOption.SortTarget.CREATE)
							.withSortOrder(GetOption.SortOrder.DESCEND)
							.withLimit(1)
							.build()), name, waitTime);
			if (before.getKvs().isEmpty()) {
				return;
			}
			KeyValue predecessor = before.getKvs().get(0);
			CompletableFuture<Void> deleted = new CompletableFuture<>();
			WatchOption option = WatchOption.builder()
				.withRevision(before.getHeader().getRevision() + 1)
				.withNoPut(true)
				.build();
			try (Watch.Watcher watcher = this.client.getWatchClient()
				.watch(predecessor.getKey(), option, Watch.listener((response) -> {
					if (response.getEvents().stream().anyMatch((e) -> e.getEventType() == WatchEvent.EventType.DELETE)) {
						deleted.complete(null);
					}
				}, deleted::completeExceptionally))) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new LockNotAcquiredException(name, waitTime, null);
				}
				deleted.get(remaining, TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw new LockNotAcquiredException(name, waitTime, null);
			}
			catch (ExecutionException ex) {
				throw new LockNotAcquiredException(name, waitTime, ex.getCause());
			}
		}
	}

	private <T> T await(CompletableFuture<T> future, String name, Duration waitTime) throws InterruptedException {
		try {
			return future.get(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			throw new LockNotAcquiredException(name, waitTime,
					new IllegalStateException("etcd: " + EtcdErrors.describe(cause), cause));
		}
	}

	private void revoke(long lease, String name) {
		this.client.getLeaseClient()
			.revoke(lease)
			.orTimeout(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, error) -> {
				if (error != null && !EtcdErrors.isLeaseNotFound(error)) {
					logger.warn("Could not revoke the lease of etcd lock {} ({}); it is released when the lease expires",
							name, EtcdErrors.describe(error));
				}
			});
	}

	/** How deep the current thread holds one lock. */
	private static final class Reentry {

		final LockLease lock;

		int depth = 1;

		Reentry(LockLease lock) {
			this.lock = lock;
		}

	}

	/** Marks the lock lost when its lease is: keep-alive completed or lease not found. */
	private static final class LeaseWatch implements StreamObserver<LeaseKeepAliveResponse> {

		private final String name;

		private final AtomicBoolean valid;

		LeaseWatch(String name, AtomicBoolean valid) {
			this.name = name;
			this.valid = valid;
		}

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
			if (response.getTTL() <= 0) {
				lost("lease expired");
			}
		}

		@Override
		public void onError(Throwable error) {
			if (EtcdErrors.isLeaseNotFound(error)) {
				lost("lease not found");
			}
		}

		@Override
		public void onCompleted() {
			lost("keep-alive ended");
		}

		private void lost(String reason) {
			if (this.valid.compareAndSet(true, false)) {
				logger.warn("etcd lock {} lost its lease ({}): it may be held by another owner now", this.name, reason);
			}
		}

	}

}
