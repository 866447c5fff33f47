package io.github.etcdgrpclb.etcd;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;

/**
 * The retries of one etcd state machine: at most one pending at a time, after a capped, jittered
 * {@link Backoff}, run in the machine's SynchronizationContext. Confined to that context.
 */
public final class Retry {

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final Backoff backoff;

	private ScheduledHandle pending;

	/**
	 * @param syncContext the state machine's context, where retries run
	 * @param timer the clock retries wait on
	 * @param backoff the delays between attempts
	 */
	public Retry(SynchronizationContext syncContext, ScheduledExecutorService timer, Backoff backoff) {
		this.syncContext = syncContext;
		this.timer = timer;
		this.backoff = backoff;
	}

	/**
	 * Runs the task after the next backoff delay, unless a retry is pending already.
	 * @param task the attempt to make again
	 * @return the delay, or {@link Duration#ZERO} when a retry was pending already
	 */
	public Duration later(Runnable task) {
		if (isPending()) {
			return Duration.ZERO;
		}
		Duration delay = this.backoff.next();
		this.pending = this.syncContext.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS, this.timer);
		return delay;
	}

	/** @return whether a retry waits to run */
	public boolean isPending() {
		return this.pending != null && this.pending.isPending();
	}

	/** Drops the pending retry, if any. */
	public void cancel() {
		if (this.pending != null) {
			this.pending.cancel();
			this.pending = null;
		}
	}

	/** An attempt worked: the next failure waits the first delay again. */
	public void succeeded() {
		this.backoff.reset();
	}

}
