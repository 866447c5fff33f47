package io.github.etcdgrpclb.etcd;

import java.time.Duration;

/**
 * The one rule for lease TTLs: etcd counts them in whole seconds and raises tiny ones itself, so a
 * TTL under 2 s would not mean what the caller asked for.
 */
public final class LeaseTtl {

	/** The shortest TTL accepted anywhere (registrations, locks). */
	public static final Duration MIN = Duration.ofSeconds(2);

	private LeaseTtl() {
	}

	/** @return whether the TTL is at least {@link #MIN} */
	public static boolean isValid(Duration ttl) {
		return ttl != null && ttl.compareTo(MIN) >= 0;
	}

	/**
	 * @param what what the TTL is for, named in the error
	 * @param ttl the TTL to check
	 * @return the TTL
	 * @throws IllegalArgumentException when it is shorter than {@link #MIN}
	 */
	public static Duration check(String what, Duration ttl) {
		if (!isValid(ttl)) {
			throw new IllegalArgumentException(what + " must be at least 2s (etcd counts whole seconds), was " + ttl);
		}
		return ttl;
	}

	/**
	 * How long a lease is known to live after etcd confirmed it (a grant or a keep-alive): the TTL
	 * minus a margin of min(1 s, TTL/4) for the time the confirmation took to arrive. Locks and
	 * election terms count their validity with it, so that they end before etcd can expire the lease.
	 * @param ttl the lease's TTL
	 * @return nanoseconds from the confirmation
	 */
	public static long knownAliveNanos(Duration ttl) {
		return ttl.toNanos() - Math.min(Duration.ofSeconds(1).toNanos(), ttl.toNanos() / 4);
	}

	/** @return the TTL in whole seconds, rounded up, as etcd's grant takes it */
	public static long seconds(Duration ttl) {
		return (long) Math.ceil(ttl.toMillis() / 1000.0);
	}

}
