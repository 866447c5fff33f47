package io.github.etcdgrpclb.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.etcdgrpclb.etcd.EtcdErrors;

/**
 * One acquisition of a lock and its deadline. Every etcd request it makes waits no longer than the
 * wait allows (but long enough for one round trip even when trying once), so that an unreachable
 * etcd fails the acquisition at its deadline with the cause, not after the request timeout.
 *
 * @param name the lock's name (prefix + key)
 * @param waitTime how long the caller is willing to wait
 * @param deadline {@link System#nanoTime()} at which the wait ends
 */
record LockAttempt(String name, Duration waitTime, long deadline) {

	/** The longest any one etcd request of the lock may take. */
	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * What one request gets even when the wait is shorter (tryLock with no wait): a first request of a
	 * fresh client (connection, warm-up) on a loaded machine took over 500 ms in CI, and a try-once must
	 * mean "do not wait for the holder", not "fail when etcd is not instant".
	 */
	private static final long MIN_REQUEST_NANOS = TimeUnit.SECONDS.toNanos(2);

	static LockAttempt startingNow(String name, Duration waitTime) {
		return new LockAttempt(name, waitTime, System.nanoTime() + waitTime.toNanos());
	}

	/** @return nanoseconds left until the deadline (negative once past it) */
	long remainingNanos() {
		return this.deadline - System.nanoTime();
	}

	/** Waits for one etcd request within the attempt's bounds. */
	<T> T await(CompletableFuture<T> future) throws InterruptedException {
		long timeout = Math.min(REQUEST_TIMEOUT.toNanos(), Math.max(remainingNanos(), MIN_REQUEST_NANOS));
		try {
			return future.get(timeout, TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			String reason = (ex instanceof TimeoutException) ? "etcd did not answer in time"
					: "etcd: " + EtcdErrors.describe(cause);
			throw failed(new IllegalStateException(reason, cause));
		}
	}

	/** @return the exception of a failed attempt; a null cause means the wait time ran out */
	LockNotAcquiredException failed(Throwable cause) {
		return new LockNotAcquiredException(this.name, this.waitTime, cause);
	}

}
