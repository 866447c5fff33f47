package io.github.etcdgrpclb.spring.integration;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ConcurrentModificationException;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import io.github.etcdgrpclb.etcd.LeaseTtl;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;

/**
 * One key of an {@code EtcdLockRegistry}: a {@link Lock} on the {@link EtcdLockTemplate}'s etcd
 * mutex (Go's {@code concurrency.Mutex} layout, FIFO, one key on a kept-alive lease), so it excludes
 * {@code @EtcdLock} methods and Go programs on the same name too. Reentrant per thread, as Spring
 * Integration's other locks; threads of this process queue for it one at a time, as processes do.
 * <p>
 * The lock lives in etcd, not in this object: two objects of one key (one obtained after the other
 * expired from the registry's cache) exclude each other as two processes do. While held, its lease
 * is kept alive; {@link #lease()} gives the fencing token ({@link LockLease#token()}) and the etcd
 * condition of ownership ({@link LockLease#ownership()}) for writes the lock guards.
 */
public class EtcdRegistryLock implements Lock {

	/** {@link #lock()} waits this long: for ever, but within the nanosecond arithmetic of a deadline. */
	private static final Duration FOREVER = Duration.ofDays(365L * 100);

	private final EtcdLockTemplate template;

	private final String key;

	/** The current thread's holds, innermost first: what {@link #unlock()} releases. */
	private final ThreadLocal<Deque<LockLease>> holds = new ThreadLocal<>();

	private final AtomicInteger holders = new AtomicInteger();

	private volatile long lastUsedMillis = System.currentTimeMillis();

	/**
	 * @param template the etcd locks
	 * @param key the lock's key below the template's prefix
	 */
	public EtcdRegistryLock(EtcdLockTemplate template, String key) {
		this.template = template;
		this.key = key;
	}

	/** @return the lock's key below the lock prefix */
	public String getKey() {
		return this.key;
	}

	@Override
	public void lock() {
		lock(null);
	}

	/**
	 * Waits for the lock, uninterruptibly, on a lease of the given TTL.
	 * @param ttl how long the lock outlives a holder that died (the lease TTL; whole seconds, at least
	 * 2 s); null for the template's default. A live holder keeps it as long as it holds it.
	 */
	public void lock(Duration ttl) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					acquire(FOREVER, ttl);
					return;
				}
				catch (InterruptedException ex) {
					interrupted = true; // Lock.lock() waits on; the interrupt is kept for the caller
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void lockInterruptibly() throws InterruptedException {
		acquire(FOREVER, null);
	}

	@Override
	public boolean tryLock() {
		try {
			return tryAcquire(Duration.ZERO, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
		return tryAcquire(Duration.ofNanos(unit.toNanos(time)), null);
	}

	/**
	 * Waits at most {@code waitTime} for the lock, on a lease of the given TTL.
	 * @param ttl see {@link #lock(Duration)}
	 * @return whether the lock was acquired in time
	 * @throws LockNotAcquiredException when etcd could not be reached (not a timeout: an error)
	 */
	public boolean tryLock(Duration waitTime, Duration ttl) throws InterruptedException {
		return tryAcquire(waitTime, ttl);
	}

	/**
	 * Releases one hold of the current thread; the last one deletes the key and lets the next waiter in.
	 * @throws IllegalMonitorStateException when the current thread does not hold the lock
	 * @throws ConcurrentModificationException when the lease was lost while held: another holder may
	 * have run meanwhile (the lock is released all the same)
	 */
	@Override
	public void unlock() {
		Deque<LockLease> mine = this.holds.get();
		if (mine == null || mine.isEmpty()) {
			throw new IllegalMonitorStateException("The current thread does not hold etcd lock '" + this.key + "'");
		}
		LockLease lease = mine.pop();
		boolean valid = lease.isValid();
		lease.close();
		if (mine.isEmpty()) {
			this.holds.remove();
			this.holders.decrementAndGet();
		}
		this.lastUsedMillis = System.currentTimeMillis();
		if (!valid) {
			throw new ConcurrentModificationException("etcd lock '" + lease.name() + "' (token " + lease.token()
					+ ") was lost while held: its lease expired or was revoked, so another holder may have run meanwhile");
		}
	}

	/** Conditions would need a wait and a signal across processes: not supported, as by Spring Integration's other distributed locks. */
	@Override
	public Condition newCondition() {
		throw new UnsupportedOperationException("etcd locks have no conditions");
	}

	/** @return the current thread's hold (fencing token, etcd condition of ownership), or null when it holds none */
	public LockLease lease() {
		Deque<LockLease> mine = this.holds.get();
		return (mine == null) ? null : mine.peek();
	}

	/** @return whether the current thread holds the lock */
	public boolean isHeldByCurrentThread() {
		return lease() != null;
	}

	/** @return whether a thread of this process holds the lock through this object */
	public boolean isHeld() {
		return this.holders.get() > 0;
	}

	/** @return when the lock was last obtained from the registry or released */
	long lastUsedMillis() {
		return this.lastUsedMillis;
	}

	void touch() {
		this.lastUsedMillis = System.currentTimeMillis();
	}

	private boolean tryAcquire(Duration waitTime, Duration ttl) throws InterruptedException {
		try {
			acquire(waitTime, ttl);
			return true;
		}
		catch (LockNotAcquiredException ex) {
			if (ex.getCause() != null) {
				throw ex; // etcd failed: an error, not a busy lock
			}
			return false;
		}
	}

	private void acquire(Duration waitTime, Duration ttl) throws InterruptedException {
		LockLease lease = (ttl != null) ? this.template.tryLock(this.key, waitTime, leaseTtl(ttl))
				: this.template.tryLock(this.key, waitTime);
		Deque<LockLease> mine = this.holds.get();
		if (mine == null) {
			mine = new ArrayDeque<>();
			this.holds.set(mine);
			this.holders.incrementAndGet();
		}
		mine.push(lease);
		this.lastUsedMillis = System.currentTimeMillis();
	}

	/** etcd counts lease TTLs in whole seconds, 2 at least: a shorter TTL is raised to that. */
	private static Duration leaseTtl(Duration ttl) {
		Duration seconds = Duration.ofSeconds(LeaseTtl.seconds(ttl));
		return (seconds.compareTo(LeaseTtl.MIN) < 0) ? LeaseTtl.MIN : seconds;
	}

}
