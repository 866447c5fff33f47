package io.github.etcdgrpclb.spring.integration;

import io.github.etcdgrpclb.lock.EtcdLockTemplate;

import org.springframework.integration.support.locks.ExpirableLockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;

/**
 * Spring Integration's {@code LockRegistry} on etcd (this line: Spring Integration 6.5): aggregators,
 * {@code LockRegistryLeaderInitiator} and {@code executeLocked} take their locks from etcd's mutex
 * layout, shared with {@code @EtcdLock} methods and Go programs. Each lock gives its fencing token
 * through {@link EtcdRegistryLock#lease()}.
 */
public class EtcdLockRegistry extends EtcdLockRegistrySupport<EtcdRegistryLock>
		implements ExpirableLockRegistry, RenewableLockRegistry {

	/** @param template the etcd locks: keys are taken below its prefix, as {@code @EtcdLock} names */
	public EtcdLockRegistry(EtcdLockTemplate template) {
		super(template);
	}

	@Override
	protected EtcdRegistryLock newLock(EtcdLockTemplate template, String key) {
		return new EtcdRegistryLock(template, key);
	}

}
