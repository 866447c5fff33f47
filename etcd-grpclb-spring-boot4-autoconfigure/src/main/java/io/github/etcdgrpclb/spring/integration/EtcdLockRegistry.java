package io.github.etcdgrpclb.spring.integration;

import io.github.etcdgrpclb.lock.EtcdLockTemplate;

import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * Spring Integration's {@code LockRegistry} on etcd (this line: Spring Integration 7): aggregators,
 * {@code LockRegistryLeaderInitiator} and {@code executeLocked} take their locks from etcd's mutex
 * layout, shared with {@code @EtcdLock} methods and Go programs. Each lock gives its fencing token
 * through {@link EtcdRegistryLock#lease()}; a {@link DistributedLock}'s TTL is its lease's TTL.
 */
public class EtcdLockRegistry extends EtcdLockRegistrySupport<EtcdLockRegistry.EtcdDistributedLock>
		implements ExpirableLockRegistry<EtcdLockRegistry.EtcdDistributedLock>,
		RenewableLockRegistry<EtcdLockRegistry.EtcdDistributedLock> {

	/** @param template the etcd locks: keys are taken below its prefix, as {@code @EtcdLock} names */
	public EtcdLockRegistry(EtcdLockTemplate template) {
		super(template);
	}

	@Override
	protected EtcdDistributedLock newLock(EtcdLockTemplate template, String key) {
		return new EtcdDistributedLock(template, key);
	}

	/** An etcd lock as Spring Integration 7's {@link DistributedLock}: the TTL is the lease's. */
	public static final class EtcdDistributedLock extends EtcdRegistryLock implements DistributedLock {

		EtcdDistributedLock(EtcdLockTemplate template, String key) {
			super(template, key);
		}

	}

}
