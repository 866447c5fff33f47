package io.github.etcdgrpclb.spring.lock;

import java.time.Duration;
import java.util.List;

import io.github.etcdgrpclb.lock.EtcdLockListener;

/** Tells every {@link EtcdLockListener} bean, in order. */
record CompositeLockListener(List<EtcdLockListener> listeners) implements EtcdLockListener {

	@Override
	public void acquired(String name, Duration waited) {
		this.listeners.forEach((listener) -> listener.acquired(name, waited));
	}

	@Override
	public void notAcquired(String name, Duration waited, Exception cause) {
		this.listeners.forEach((listener) -> listener.notAcquired(name, waited, cause));
	}

	@Override
	public void leaseLost(List<String> heldLocks) {
		this.listeners.forEach((listener) -> listener.leaseLost(heldLocks));
	}

}
