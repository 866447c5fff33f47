package io.github.etcdgrpclb.etcd;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, so that servers cut off by one etcd outage do not all come
 * back in the same millisecond. Not thread safe: owned by one thread or synchronization context.
 */
public final class Backoff {

	private static final double JITTER = 0.2;

	private final long initialNanos;

	private final long maxNanos;

	private long nextNanos;

	/** @return the backoff every etcd retry of ours uses: 200 ms doubling up to 2 s */
	public static Backoff standard() {
		return new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
	}

	/**
	 * @param initial the first delay
	 * @param max the longest delay
	 */
	public Backoff(Duration initial, Duration max) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = Math.max(max.toNanos(), this.initialNanos);
		this.nextNanos = this.initialNanos;
	}

	/** @return the delay before the next attempt; doubles each call up to the maximum, ±20% */
	public Duration next() {
		long base = this.nextNanos;
		this.nextNanos = Math.min(this.maxNanos, base * 2);
		double factor = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
		return Duration.ofNanos((long) (base * factor));
	}

	/** Starts over from the initial delay (after a success). */
	public void reset() {
		this.nextNanos = this.initialNanos;
	}

}
