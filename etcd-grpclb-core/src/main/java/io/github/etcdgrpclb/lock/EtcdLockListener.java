package io.github.etcdgrpclb.lock;

import java.time.Duration;
import java.util.List;

/**
 * Told of what an {@link EtcdLockTemplate} does, for metrics. Called on the acquiring thread, or on
 * a jetcd thread for a lost lease: keep it quick and never throw.
 */
public interface EtcdLockListener {

	/** Does nothing. */
	EtcdLockListener NONE = new EtcdLockListener() {
	};

	/**
	 * The lock was acquired (outermost acquisitions only: reentry is not counted).
	 * @param name the lock name, with the prefix
	 * @param waited from asking to holding
	 */
	default void acquired(String name, Duration waited) {
	}

	/**
	 * The lock was not acquired.
	 * @param name the lock name, with the prefix
	 * @param waited from asking to giving up
	 * @param cause a {@link LockNotAcquiredException} or an {@link InterruptedException}
	 */
	default void notAcquired(String name, Duration waited, Exception cause) {
	}

	/**
	 * The lease the locks live on was lost (expired or revoked).
	 * @param heldLocks the names of the locks held on it at that moment, which may be someone else's now
	 */
	default void leaseLost(List<String> heldLocks) {
	}

}
