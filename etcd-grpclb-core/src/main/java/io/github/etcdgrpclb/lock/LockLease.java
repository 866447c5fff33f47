package io.github.etcdgrpclb.lock;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;

/**
 * A held etcd lock: the key {@code <name>/<lease-hex>} on the template's lease, which is kept alive.
 * Closing deletes the key and lets the next waiter in.
 */
public final class LockLease implements AutoCloseable {

	private final String name;

	private final String key;

	private final long leaseId;

	private final long token;

	private final Instant since;

	private final BooleanSupplier leaseValid;

	private final Runnable release;

	private final AtomicBoolean closed = new AtomicBoolean();

	LockLease(String name, String key, long leaseId, long token, Instant since, BooleanSupplier leaseValid,
			Runnable release) {
		this.name = name;
		this.key = key;
		this.leaseId = leaseId;
		this.token = token;
		this.since = since;
		this.leaseValid = leaseValid;
		this.release = release;
	}

	/** @return a handle on the same lock that runs another release action when closed */
	LockLease reentered(Runnable release) {
		return new LockLease(this.name, this.key, this.leaseId, this.token, this.since, this.leaseValid, release);
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

	/**
	 * A condition for writes to etcd itself (Go's {@code Mutex.IsOwner()}): true while the lock key is
	 * still there, as created. {@code txn().If(lock.ownership()).Then(...)} is refused by etcd once the
	 * lease expired or the lock was released, whatever this JVM believes: no race between a check of
	 * {@link #isValid()} and the write, which a stop-the-world pause can fall into.
	 * @return {@code create_revision(key) == token}
	 */
	public Cmp ownership() {
		return new Cmp(bytes(this.key), Cmp.Op.EQUAL, CmpTarget.createRevision(this.token));
	}

	/** @return when the lock was acquired */
	public Instant since() {
		return this.since;
	}

	/** @return false once released or once the lease was lost while held: the lock may be someone else's */
	public boolean isValid() {
		return this.leaseValid.getAsBoolean() && !this.closed.get();
	}

	/** Releases the lock (deletes its key); safe to call more than once, never throws. */
	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			this.release.run();
		}
	}

}
