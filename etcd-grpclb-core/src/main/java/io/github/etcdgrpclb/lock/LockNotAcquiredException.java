package io.github.etcdgrpclb.lock;

import java.time.Duration;

/**
 * The lock was not acquired within the wait time (nothing of the attempt is left in etcd).
 */
public class LockNotAcquiredException extends RuntimeException {

	private final String lockName;

	public LockNotAcquiredException(String lockName, Duration waitTime, Throwable cause) {
		super("Could not acquire etcd lock '" + lockName + "' within " + waitTime
				+ ((cause != null) ? ": " + cause.getMessage() : " (held by another owner)"), cause);
		this.lockName = lockName;
	}

	/** @return the full lock name (with the lock prefix) */
	public String getLockName() {
		return this.lockName;
	}

}
