package io.github.etcdgrpclb.lock;

import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.support.CloseableClient;

/**
 * A held etcd lock: the key {@code <name>/<lease-hex>} on a lease of its own that is kept alive until
 * {@link #close()}. Closing revokes the lease, which deletes the key and lets the next waiter in.
 */
public final class LockLease implements AutoCloseable {

	private final String name;

	private final String key;

	private final long leaseId;

	private final long token;

	private final CloseableClient keepAlive;

	private final Runnable release;

	private final AtomicBoolean valid;

	private final AtomicBoolean closed = new AtomicBoolean();

	LockLease(String name, String key, long leaseId, long token, AtomicBoolean valid, CloseableClient keepAlive,
			Runnable release) {
		this.name = name;
		this.key = key;
		this.leaseId = leaseId;
		this.token = token;
		this.valid = valid;
		this.keepAlive = keepAlive;
		this.release = release;
	}

	/** @return a handle on the same lock for a nested acquisition by the same thread */
	LockLease reentered(Runnable release) {
		return new LockLease(this.name, this.key, this.leaseId, this.token, this.valid, new CloseableClient() {
		}, release);
	}

	/** @return the lock name, with the lock prefix */
	public String name() {
		return this.name;
	}

	/** @return the lock key in etcd, {@code <name>/<lease-hex>} */
	public String key() {
		return this.key;
	}

	/** @return the lease the key lives on */
	public long leaseId() {
		return this.leaseId;
	}

	/**
	 * The fencing token: the create revision of the lock key. It grows with every new holder, so a
	 * store that remembers the highest token it has seen can refuse writes of an older holder whose
	 * lease ran out (GC pause, partition) while it still believed it held the lock.
	 * @return the token
	 */
	public long token() {
		return this.token;
	}

	/** @return false once the lease was lost while held (keep-alive failed, revoked): the lock may be someone else's */
	public boolean isValid() {
		return this.valid.get() && !this.closed.get();
	}

	/** Releases the lock (revokes its lease); safe to call more than once, never throws. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.keepAlive.close();
			this.release.run();
		}
	}

}
