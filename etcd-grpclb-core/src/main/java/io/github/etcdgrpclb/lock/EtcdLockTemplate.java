package io.github.etcdgrpclb.lock;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide locks on etcd, with the key layout and ordering of etcd's {@code concurrency.Mutex}
 * (so Go programs and jetcd {@code Lock} users on the same name are excluded too).
 * <p>
 * Like a Go {@code concurrency.Session}, the template keeps one lease alive per lease TTL and puts
 * every lock key {@code <prefix>/<key>/<lease-hex>} on it: acquiring is one transaction (put if
 * absent, then read the owner: the key with the lowest create revision) and releasing is one
 * delete. A waiter waits for the deletion of the key just before its own, seen through one
 * long-lived watch of the prefix ({@link DeletionWatch}: a watch created per wait is served late by
 * etcd's unsynced-watcher loop, ~100 ms), then checks again; waiters are served in arrival order.
 * Inside the process, one thread per name queues in etcd at a time ({@link LocalGates}), because
 * its threads share the lease and so the key.
 * <p>
 * A crashed process stops the keep-alive and its keys go with the lease after the TTL. A wait that
 * times out or is interrupted deletes its queued key, so etcd never grants it later. Nested
 * acquisitions of the same key by the same thread are reentrant. {@link #close()} revokes the
 * leases, releasing whatever is still held.
 */
public class EtcdLockTemplate implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLockTemplate.class);

	private final Client client;

	private final String prefix;

	private final Duration defaultLeaseTtl;

	private final ThreadLocal<Map<String, Reentry>> reentries = ThreadLocal.withInitial(HashMap::new);

	private final LocalGates gates = new LocalGates();

	private final LockSessions sessions;

	private final MutexQueue queue;

	private final Set<LockLease> held = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService cleanup;

	private final DeletionWatch deletions;

	private final EtcdLockListener listener;

	private volatile boolean closed;

	/**
	 * @param client the etcd client
	 * @param prefix the lock key prefix, e.g. {@code /locks} (no trailing slash)
	 * @param defaultLeaseTtl the TTL of the locks' lease (whole seconds, at least 2 s)
	 */
	public EtcdLockTemplate(Client client, String prefix, Duration defaultLeaseTtl) {
		this(client, prefix, defaultLeaseTtl, EtcdLockListener.NONE);
	}

	/**
	 * @param client the etcd client
	 * @param prefix the lock key prefix, e.g. {@code /locks} (no trailing slash)
	 * @param defaultLeaseTtl the TTL of the locks' lease (whole seconds, at least 2 s)
	 * @param listener told of acquisitions and lost leases (metrics)
	 */
	public EtcdLockTemplate(Client client, String prefix, Duration defaultLeaseTtl, EtcdLockListener listener) {
		this.listener = listener;
		this.client = client;
		this.prefix = prefix;
		this.defaultLeaseTtl = defaultLeaseTtl;
		this.deletions = new DeletionWatch(client, bytes(prefix + "/"));
		this.sessions = new LockSessions(client, this::sessionLost);
		this.queue = new MutexQueue(client, this.deletions);
		this.cleanup = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "etcd-lock-cleanup");
			thread.setDaemon(true);
			return thread;
		});
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
	 * @param leaseTtl the TTL of the lease the lock key lives on, kept alive while held
	 * @return the held lock
	 * @throws LockNotAcquiredException when not acquired in time (nothing is left in etcd)
	 * @throws InterruptedException when interrupted while waiting (nothing is left in etcd)
	 */
	public LockLease tryLock(String key, Duration waitTime, Duration leaseTtl) throws InterruptedException {
		String name = this.prefix + "/" + key;
		Reentry reentry = this.reentries.get().get(name);
		if (reentry != null) {
			if (!reentry.lock.isValid()) {
				throw new LockNotAcquiredException(name, waitTime,
						new IllegalStateException("this thread already holds it and its lease was lost"));
			}
			reentry.depth++;
			return reentry.lock.reentered(() -> reentry.depth--);
		}
		long asked = System.nanoTime();
		LockLease lock;
		try {
			lock = acquire(name, waitTime, leaseTtl);
		}
		catch (LockNotAcquiredException | InterruptedException ex) {
			this.listener.notAcquired(name, Duration.ofNanos(System.nanoTime() - asked), ex);
			throw ex;
		}
		this.listener.acquired(name, Duration.ofNanos(System.nanoTime() - asked));
		Reentry outermost = new Reentry(lock);
		this.reentries.get().put(name, outermost);
		return lock.reentered(() -> {
			if (--outermost.depth == 0) {
				this.reentries.get().remove(name);
				lock.close();
			}
		});
	}

	/** @return the locks this template holds now (read-only views: closing them does nothing) */
	public List<LockLease> heldLocks() {
		return this.held.stream().map((lock) -> lock.reentered(() -> {
		})).toList();
	}

	/** @return how many lock names this process is using or waiting for (the in-process gates) */
	int namesInUse() {
		return this.gates.size() + this.deletions.waiters();
	}

	/** Revokes the leases: every lock still held is released and its holder sees it invalid. */
	@Override
	public void close() {
		this.closed = true;
		this.deletions.close();
		this.sessions.close();
		this.cleanup.shutdownNow();
	}

	private LockLease acquire(String name, Duration waitTime, Duration leaseTtl) throws InterruptedException {
		LockAttempt attempt = LockAttempt.startingNow(name, waitTime);
		if (!this.gates.enter(name, waitTime.toNanos())) {
			throw attempt.failed(null);
		}
		LockSession session = null;
		String myKey = null;
		boolean acquired = false;
		try {
			session = this.sessions.session(leaseTtl, attempt);
			myKey = name + "/" + Long.toHexString(session.leaseId());
			long myRevision = this.queue.enqueue(myKey, session, attempt);
			acquired = true;
			LockSession lease = session;
			String heldKey = myKey;
			LockLease lock = new LockLease(name, heldKey, lease.leaseId(), myRevision, Instant.now(), lease::isValid,
					() -> release(name, heldKey, lease));
			this.held.add(lock);
			return lock.reentered(() -> {
				this.held.remove(lock);
				lock.close();
			});
		}
		finally {
			if (!acquired) {
				if (session != null) {
					// The put may have been applied even when its answer was lost. Waited for, as an unlock
					// is: "nothing is left in etcd" must hold when the caller hears it did not get the lock.
					release(name, myKey, session);
				}
				else {
					this.gates.leave(name);
				}
			}
		}
	}

	/**
	 * Unlocks (or gives up a queued key): returns once the key is deleted, so that the lock is free for
	 * others when the method returns. Should etcd not answer in time, the delete goes on in the
	 * background (the lease stays alive, so the key must go) and the caller goes on: close() never throws.
	 */
	private void release(String name, String myKey, LockSession session) {
		CompletableFuture<Void> deleted = new CompletableFuture<>();
		removeKey(name, myKey, session, Backoff.standard(), deleted);
		try {
			deleted.get(LockAttempt.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// retried in the background, logged there
		}
	}

	/**
	 * Deletes our key, retrying while etcd is unreachable, and only then lets the next thread of this
	 * process queue: it would put the very same key. Gives up once the lease is gone, which takes
	 * the key with it.
	 * @param deleted completed once the key is gone
	 */
	private void removeKey(String name, String myKey, LockSession session, Backoff backoff,
			CompletableFuture<Void> deleted) {
		this.client.getKVClient()
			.delete(bytes(myKey))
			.orTimeout(LockAttempt.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((response, error) -> {
				if (error == null || !session.isValid() || this.closed) {
					this.gates.leave(name);
					deleted.complete(null);
					return;
				}
				Duration delay = backoff.next();
				logger.warn("Could not delete etcd lock key {} ({}); retrying in {} ms", myKey,
						EtcdErrors.describe(error), delay.toMillis());
				this.cleanup.schedule(() -> removeKey(name, myKey, session, backoff, deleted), delay.toMillis(),
						TimeUnit.MILLISECONDS);
			});
	}

	private void sessionLost(long leaseId, String reason) {
		List<String> lost = this.held.stream().filter((lock) -> lock.leaseId() == leaseId).map(LockLease::name).toList();
		logger.warn("etcd lock lease {} was lost ({}); locks held on it may be someone else's now: {}",
				Long.toHexString(leaseId), reason, lost);
		this.listener.leaseLost(lost);
	}

	/** How deep the current thread holds one lock. */
	private static final class Reentry {

		final LockLease lock;

		int depth = 1;

		Reentry(LockLease lock) {
			this.lock = lock;
		}

	}

}
