package io.github.etcdgrpclb.spring.integration;

import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;

/**
 * What {@code EtcdLockRegistry} does on both Spring lines (Spring Integration 6.5's LockRegistry is
 * not generic, 7's is: each line declares the interfaces over this class): one
 * {@link EtcdRegistryLock} per key, kept until unused for longer than
 * {@code expireUnusedOlderThan} says.
 *
 * @param <L> the lock type the line's registry hands out
 */
public abstract class EtcdLockRegistrySupport<L extends EtcdRegistryLock> {

	private final EtcdLockTemplate template;

	private final Map<String, L> locks = new ConcurrentHashMap<>();

	/** @param template the etcd locks: keys are taken below its prefix, as {@code @EtcdLock} names */
	protected EtcdLockRegistrySupport(EtcdLockTemplate template) {
		this.template = template;
	}

	/** @return a new lock of the line's type */
	protected abstract L newLock(EtcdLockTemplate template, String key);

	/**
	 * @param lockKey the lock's key below the lock prefix: a non-blank String without white space
	 * @return the lock of that key (the same object until it expires from this registry unused)
	 */
	public L obtain(Object lockKey) {
		String key = checkKey(lockKey);
		return this.locks.compute(key, (name, existing) -> {
			L lock = (existing != null) ? existing : newLock(this.template, name);
			lock.touch();
			return lock;
		});
	}

	/**
	 * Forgets the locks nobody here holds that were last used more than {@code age} ms ago. Safe at any
	 * time: the lock is in etcd, and a new object of the same key excludes the old one's holders.
	 * @param age in milliseconds
	 */
	public void expireUnusedOlderThan(long age) {
		long cutoff = System.currentTimeMillis() - age;
		this.locks.values().removeIf((lock) -> !lock.isHeld() && lock.lastUsedMillis() < cutoff);
	}

	/**
	 * Checks that the current thread still holds the lock: a held etcd lock needs no renewal, its lease
	 * is kept alive while this process runs.
	 * @throws IllegalStateException when the current thread does not hold it
	 * @throws ConcurrentModificationException when its lease was lost while held
	 */
	public void renewLock(Object lockKey) {
		renewLock(lockKey, null);
	}

	/**
	 * As {@link #renewLock(Object)}: the lease of a held etcd lock is kept alive whatever the TTL, and
	 * outlives its holder by the TTL it was acquired with; {@code ttl} changes nothing.
	 */
	public void renewLock(Object lockKey, Duration ttl) {
		String key = checkKey(lockKey);
		L lock = this.locks.get(key);
		LockLease lease = (lock != null) ? lock.lease() : null;
		if (lease == null) {
			throw new IllegalStateException("Could not renew etcd lock '" + key + "': the current thread does not hold it");
		}
		if (!lease.isValid()) {
			throw new ConcurrentModificationException("etcd lock '" + lease.name() + "' (token " + lease.token()
					+ ") was lost while held: its lease expired or was revoked");
		}
	}

	/** @return how many locks the registry keeps now */
	int size() {
		return this.locks.size();
	}

	private static String checkKey(Object lockKey) {
		if (!(lockKey instanceof String key) || key.isBlank() || !key.equals(key.strip())) {
			throw new IllegalArgumentException("An etcd lock key is a non-blank String without surrounding white space, was: "
					+ lockKey);
		}
		return key;
	}

}
